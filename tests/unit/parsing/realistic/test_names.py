"""Customer names as reps type them in the group chat, and where a new name ends.

Names are kept whole (digits, dots, ampersands, apostrophes, hyphens, legal suffixes, a Latin
name with its Chinese region or company word); a new name ends where the message turns into a
sentence (a verb or particle, a figure, an emoji, a separator). A known customer is found in
Traditional or Simplified Chinese and however its punctuation is typed, and a number inside a
known name is not an amount. Each case states the customer and what is left for the note, so
nothing of the sentence is swallowed into the name and nothing of the name leaks into the note.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import normalize_name, parse_entry

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)  # a Tuesday

NEW = [
    # English and Latin names as they are: digits, dots, &, apostrophes, hyphens, suffixes
    ("/lead AT&T wants a quote for 200 pcs", "AT&T", "wants a quote for 200 pcs"),
    ("Booking.com wants 20 rooms for the offsite", "Booking.com", "wants 20 rooms for the offsite"),
    ("booking.com said they'll sign next Monday", "booking.com", "said they'll sign"),
    ("AT&T is pushing back on price", "AT&T", "is pushing back on price"),
    ("at&t rang, want a callback tomorrow", "at&t", "rang, want a callback"),
    ("met Levi's today, they want samples", "Levi's", "they want samples"),
    ("met Levi's buyer today", "Levi", "buyer today"),  # a past day is when, kept in the note
    ("Levi's 🙌 signed!!", "Levi's", "🙌 signed!!"),
    ("levi's wants 300 pcs of the tote", "levi's", "wants 300 pcs of the tote"),
    ("/lead 21Vianet 50台服务器 下周报价", "21Vianet", "50台服务器 报价"),
    ("21Vianet asked for the 50 rack quote", "21Vianet", "asked for the 50 rack quote"),
    ("21vianet 明天来公司", "21vianet", "来公司"),
    ("/lead Mister Donut 想加盟", "Mister Donut", "想加盟"),
    (
        "Mister Donut went with the cheaper vendor 😩",
        "Mister Donut",
        "went with the cheaper vendor 😩",
    ),
    ("mister donut wants a demo tomorrow 3pm", "mister donut", "wants a demo"),
    ("/lead Lululemon Athletica Inc. wants a pilot", "Lululemon Athletica Inc.", "wants a pilot"),
    ("Lululemon Athletica Inc. 想要报价", "Lululemon Athletica Inc.", "想要报价"),
    ("lululemon athletica inc. is ready to sign", "lululemon athletica inc.", "is ready to sign"),
    ("/lead J.P. Morgan asked for deck", "J.P. Morgan", "asked for deck"),
    ("/lead Coca-Cola HK needs 300 cases", "Coca-Cola HK", "needs 300 cases"),
    ("/lead H&M went with a competitor", "H&M", "went with a competitor"),
    ("/lead A<B Corp", "A<B Corp", None),
    ("/lead Marks & Spencer said no", "Marks & Spencer", "said no"),
    ("/lead Acme Corp, they want 50 units", "Acme Corp", "they want 50 units"),
    ("/lead Stark Industries 200 units next Monday", "Stark Industries", "200 units"),
    ("/lead McDonald's China wants 500 boxes", "McDonald's China", "wants 500 boxes"),
    ("/lead Forever 21", "Forever 21", None),
    ("/lead St. Regis Hotel tomorrow", "St. Regis Hotel", None),
    ("/lead Ben & Jerry's 下周", "Ben & Jerry's", None),
    ("/lead Rolls-Royce needs a quote", "Rolls-Royce", "needs a quote"),
    ("called Siemens AG re the tender", "Siemens AG", "re the tender"),
    ("Siemens AG 要招标文件", "Siemens AG", "要招标文件"),
    ("Bosch GmbH signed the PO 🎉", "Bosch GmbH", "signed the PO 🎉"),
    ("L'Oréal wants samples", "L'Oréal", "wants samples"),
    ("L'Oreal China 要样品", "L'Oreal China", "要样品"),
    ("O'Reilly Media asked for a discount", "O'Reilly Media", "asked for a discount"),
    ("E.ON Energy needs 3 offers", "E.ON Energy", "needs 3 offers"),
    ("3M wants 200 rolls", "3M", "wants 200 rolls"),
    ("3M 要200卷", "3M", "要200卷"),
    ("7-Eleven 要 50 箱", "7-Eleven", "要 50 箱"),
    ("7-Eleven Japan said no", "7-Eleven Japan", "said no"),
    ("/visit 7-Eleven 明天", "7-Eleven", None),
    ("Sam's Club wants a pallet", "Sam's Club", "wants a pallet"),
    ("Sam's Club 要一个托盘", "Sam's Club", "要一个托盘"),
    ("Macy's CFO called", "Macy", "CFO called"),
    ("Macy's 的采购 说明天下单", "Macy's", "采购 说下单"),
    ("Wal-Mart Stores Inc. placed the order", "Wal-Mart Stores Inc.", "placed the order"),
    ("Hewlett-Packard Enterprise is reviewing", "Hewlett-Packard Enterprise", "is reviewing"),
    ("Dolce&Gabbana 想合作", "Dolce&Gabbana", "想合作"),
    ("Johnson & Johnson Medical wants 100 units", "Johnson & Johnson Medical", "wants 100 units"),
    ("A&W Restaurants 要报价", "A&W Restaurants", "要报价"),
    ("Barnes & Noble said maybe next week", "Barnes & Noble", "said maybe"),
    ("Tiffany & Co. 签了 💍", "Tiffany & Co.", "签了 💍"),
    ("Tiffany & Co. wants engraving", "Tiffany & Co.", "wants engraving"),
    ("Zara is interested, asked for catalogue", "Zara", "is interested, asked for catalogue"),
    ("visited Uniqlo HK, they want a quote", "Uniqlo HK", "they want a quote"),
    ("met Tesla today 🚗 want 5 units", "Tesla", "🚗 want 5 units"),
    ("/lead Acme 🎉 signed", "Acme", "🎉 signed"),
    ("Update: Acme signed 🎉", "Acme", "signed 🎉"),
    ("fyi Globex is interested", "Globex", "is interested"),
    ("finally closed Globex 🎉🎉", "Globex", None),
    ("hi all, Acme signed", "Acme", "signed"),
    ("ok, Globex is in", "Globex", "is in"),
    ("guys: Acme wants a demo", "Acme", "wants a demo"),
    ("/lead Hi-Tech Corp wants 5 units", "Hi-Tech Corp", "wants 5 units"),
    ("/lead Team Liquid wants jerseys", "Team Liquid", "wants jerseys"),
    (
        "just met with the Booking.com team, they want 20 rooms",
        "Booking.com",
        "team, they want 20 rooms",
    ),
    ("visited booking.com guys, they want 20 rooms", "booking.com", "guys, they want 20 rooms"),
    # Latin names in Chinese text, and the company words that belong to them
    ("刚和Walmart开完会, next Monday follow up", "Walmart", "开完会, follow up"),
    ("今天见了Walmart的采购, next Monday follow up", "Walmart", "采购, follow up"),
    ("刚跟Costco开完会，他们要200台", "Costco", "开完会，他们要200台"),
    ("和Apple聊了一下 他们觉得贵", "Apple", "聊了一下 他们觉得贵"),
    ("拜访了SHEIN 他们下周定", "SHEIN", "他们定"),
    ("去了Nike中国 明天再跟", "Nike中国", "再跟"),
    ("/lead Booking.com 想做", "Booking.com", "想做"),
    ("/lead 3M中国 要报价", "3M中国", "要报价"),
    ("/lead Apple中国区 下周见", "Apple中国区", "见"),
    ("/lead IBM公司 明天拜访", "IBM公司", "拜访"),
    ("大疆DJI 要无人机", "大疆DJI", "要无人机"),
    # Chinese names end where the sentence starts: verbs, particles, figures, emoji
    ("/lead 永辉超市有限公司签了 50万", "永辉超市有限公司", "签了"),
    ("永辉超市有限公司 要50箱", "永辉超市有限公司", "要50箱"),
    ("永辉超市有限公司说下周付款", "永辉超市有限公司", "说付款"),
    ("永輝超市有限公司 簽了 👍", "永輝超市有限公司", "簽了 👍"),
    ("/lead 58同城要续费", "58同城", "要续费"),
    ("/lead 永辉超市50箱", "永辉超市", "50箱"),
    ("跟万科聊了下 他们要年底前上线", "万科", "聊了下 他们要上线"),  # 年底: the follow-up
    ("今天跟永辉超市签了 12万", "永辉超市", "签了"),
    ("和记黄埔 明天见", "和记黄埔", "见"),
    ("/lead 美团 说下周回复", "美团", "说回复"),
    ("/lead 小米了解一下", "小米", "了解一下"),
    ("/lead 拼多多的采购说要3万", "拼多多", "采购说要"),
    ("/lead 海底捞～ 想试用", "海底捞", "～ 想试用"),
    ("/lead 喜茶👍 签了", "喜茶", "👍 签了"),
    ("阿里巴巴说要再考虑", "阿里巴巴", "说要再考虑"),
    ("京东要1000台", "京东", "要1000台"),
    ("美团外卖 觉得价格高", "美团外卖", "觉得价格高"),
    ("腾讯音乐 同意了", "腾讯音乐", "同意了"),
    ("字节跳动 不要了", "字节跳动", "不要了"),
    ("蔚来汽车 要试驾车", "蔚来汽车", "要试驾车"),
    ("好未来 想看看方案", "好未来", "想看看方案"),
    ("华润万家 50箱 下周送", "华润万家", "50箱 送"),
    ("中国平安 很感兴趣", "中国平安", "很感兴趣"),
    ("招商银行深圳分行 约了明天", "招商银行深圳分行", "约了"),
    ("海底捞😋 签了年框", "海底捞", "😋 签了年框"),
    ("喜茶✅ 下单了", "喜茶", "✅ 下单了"),
    ("瑞幸咖啡~ 要100杯", "瑞幸咖啡", "~ 要100杯"),
    ("百度 是想要私有化部署", "百度", "是想要私有化部署"),
    ("小红书 没回复", "小红书", "没回复"),
    ("携程 把合同发过来了", "携程", "把合同发过来了"),
    ("顺丰 被竞对抢了", "顺丰", "被竞对抢了"),
    ("联想集团 给了报价", "联想集团", "给了报价"),
    ("比亚迪 对价格很敏感", "比亚迪", "对价格很敏感"),
    ("大疆 有意向 🚁", "大疆", "有意向 🚁"),
    ("万科 说下周签", "万科", "说签"),
    ("华为 今天签了 🎉", "华为", "签了 🎉"),
    # Traditional Chinese and Cantonese: kept as typed when the customer is new
    ("/lead 鴻海精密 話要報價", "鴻海精密", "話要報價"),
    ("字節跳動 唔要喇", "字節跳動", "唔要喇"),
    ("華潤萬家 50箱", "華潤萬家", "50箱"),
    ("中國平安 好有興趣", "中國平安", "好有興趣"),
    ("小紅書 冇回覆", "小紅書", "冇回覆"),
    ("攜程 將合同發咗過嚟", "攜程", "將合同發咗過嚟"),
    ("聯想集團 俾咗報價", "聯想集團", "俾咗報價"),
    ("華為 今日簽咗", "華為", "簽咗"),
]

KNOWN = (
    "华为",
    "万科集团",
    "Acme Trading Co., Ltd.",
    "McDonald's",
    "永辉超市有限公司",
    "台积电",
    "Booking.com",
    "1688",
    "3M",
    "汇丰银行",
    "鸿海精密",
    "Levi's",
    "AT&T",
)
KNOWN_CASES = [
    # Traditional and Simplified forms of one name are the same customer
    ("/visit 華為 明天", "华为", None),
    ("華為今日簽咗 🎉", "华为", "簽咗 🎉"),
    ("拜訪了萬科集團，明天再去", "万科集团", "再去"),
    ("萬科 話下禮拜簽", "万科集团", "話簽"),
    ("/visit 臺積電 周五", "台积电", None),
    ("台積電 TSMC wants wafers", "台积电", "TSMC wants wafers"),
    ("滙豐銀行 約咗下禮拜", "汇丰银行", "約咗"),
    ("匯豐銀行 要開戶", "汇丰银行", "要開戶"),
    ("鴻海精密 話要報價", "鸿海精密", "話要報價"),
    ("永輝超市有限公司 簽了 👍", "永辉超市有限公司", "簽了 👍"),
    ("永輝超市 50箱", "永辉超市有限公司", "50箱"),
    # a known name is found however it is typed, and a number inside it is no amount
    ("/visit mcdonalds today", "McDonald's", None),
    ("mcdonald's wants 500 boxes", "McDonald's", "wants 500 boxes"),
    ("/lead booking.com 要报价", "Booking.com", "要报价"),
    ("/lead 1688 要200件", "1688", "要200件"),
    ("1688 的王总说要样品", "1688", "王总说要样品"),
    ("/visit 3M 明天", "3M", None),
    ("levis 🙌 signed", "Levi's", "🙌 signed"),
    ("at&t rang, want a callback tomorrow", "AT&T", "rang, want a callback"),
    ("acme trading co ltd 明天 拜访", "Acme Trading Co., Ltd.", "拜访"),
]


def parse(text: str, known: tuple[str, ...] = ()) -> tuple[str | None, str | None]:
    entry = parse_entry(
        text, now=NOW, tz=TZ, known_customers=known, addressed=True, bot_username="crmbot"
    )
    return entry.customer, entry.note


@pytest.mark.parametrize(("text", "customer", "note"), NEW)
def test_a_new_customer_is_named_as_typed_and_ends_where_the_sentence_starts(
    text: str, customer: str, note: str | None
) -> None:
    assert parse(text) == (customer, note)


@pytest.mark.parametrize(("text", "customer", "note"), KNOWN_CASES)
def test_a_known_customer_is_found_in_either_script_and_however_punctuated(
    text: str, customer: str, note: str | None
) -> None:
    assert parse(text, KNOWN) == (customer, note)


def test_a_number_inside_a_known_name_is_no_amount() -> None:
    entry = parse_entry("/lead 1688 要200件", now=NOW, tz=TZ, known_customers=KNOWN)
    assert (entry.customer, entry.amount) == ("1688", None)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("華為", "华为"), ("華為技術有限公司", "华为技术有限公司"), ("萬科集團", "万科集团"),
        ("臺積電", "台积电"), ("台積電", "台积电"), ("滙豐銀行（中國）", "汇丰银行"),
        ("匯豐銀行", "汇丰银行"), ("鴻海精密", "鸿海精密"), ("聯想集團", "联想集团"),
        ("長江實業", "长江实业"), ("統一企業", "统一企业"), ("永輝超市有限公司", "永辉超市"),
    ],
)  # fmt: skip
def test_traditional_and_simplified_forms_share_one_key(traditional: str, simplified: str) -> None:
    assert normalize_name(traditional) == normalize_name(simplified)
