"""Sales channels and partners: "via distributor Huatai", "渠道华泰经销", "经销商华泰", "转介绍"."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bot.parsing.text import CJK


@dataclass(frozen=True, slots=True)
class ChannelMatch:
    """A channel kind (or None when only a partner is named), the partner, and the span."""

    kind: str | None
    partner: str | None
    start: int
    end: int


_KINDS = {
    "distributor": "distributor", "dealer": "distributor", "reseller": "distributor",
    "wholesaler": "distributor", "经销": "distributor", "經銷": "distributor",
    "经销商": "distributor", "經銷商": "distributor", "分销": "distributor",
    "分銷": "distributor", "分销商": "distributor", "分銷商": "distributor",
    "批发商": "distributor", "批發商": "distributor", "agent": "agent", "代理": "agent",
    "代理商": "agent", "电商": "ecommerce", "電商": "ecommerce", "e-commerce": "ecommerce",
    "ecommerce": "ecommerce", "online": "ecommerce", "直营": "direct", "直營": "direct",
    "直销": "direct", "直銷": "direct", "direct": "direct", "referral": "referral",
    "转介绍": "referral", "轉介紹": "referral", "介绍": "referral", "介紹": "referral",
    "推荐": "referral", "推薦": "referral", "other": "other", "其他": "other",
}  # fmt: skip
_PLATFORMS = {
    "tmall": "Tmall", "taobao": "Taobao", "jd": "JD", "jd.com": "JD", "amazon": "Amazon",
    "shopify": "Shopify", "pinduoduo": "Pinduoduo", "douyin": "Douyin", "天猫": "天猫",
    "天貓": "天貓", "淘宝": "淘宝", "淘寶": "淘寶", "京东": "京东", "京東": "京東",
    "拼多多": "拼多多", "抖音": "抖音", "快手": "快手", "亚马逊": "亚马逊", "亞馬遜": "亞馬遜",
}  # fmt: skip
_EN_KIND = r"(?P<kind>distributor|dealer|reseller|wholesaler|agent|partner)s?"
_EN_NAME = r"(?P<name>[A-Z][\w&'’-]*(?:\s+(?:&\s+)?[A-Z][\w&'’-]*){0,3}|[" + CJK + r"]{2,12})"
# After an explicit kind ("via distributor huatai"), a name typed in lower case too; it ends
# where the sentence goes on (_LOWER_END).
_EN_LOWER = r"(?P<lname>[a-z][\w&'’-]*(?:\s+[a-z][\w&'’-]*){0,2})"
_ZH_KIND = (
    r"(?P<zkind>经销商|經銷商|经销|經銷|代理商|代理|分销商|分銷商|分销|分銷|电商|電商|"
    r"批发商|批發商)"
)
_ZH_NAME = rf"(?P<zname>[{CJK}A-Za-z0-9&]{{1,12}}?)"
_ZH_NAME2 = rf"(?P<zname2>[{CJK}A-Za-z0-9&]{{2,12}})"
_SEP = r"(?=[\s,，。;；、:：)）!！?？]|$)"

_EN_RE = re.compile(
    rf"""
      (?<![A-Za-z])(?i:via|through|thru|from)\s+(?:(?i:the|our)\s+)?(?i:{_EN_KIND})\s*[:-]?\s*
        (?:{_EN_NAME}|{_EN_LOWER}(?![\w&'’-]))
    | (?<![A-Za-z])(?i:via|through|thru)\s+(?P<plat>(?i:tmall|taobao|jd\.com|jd|amazon|shopify
        |pinduoduo|douyin))(?![A-Za-z])
    | (?<![A-Za-z])(?i:via|through|thru)\s+(?P<name2>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){{0,2}})
        \s+(?P<kind2>(?i:distributor|dealer|reseller|agent))s?(?![A-Za-z])
    | (?<![A-Za-z])(?i:referred\s+by|referral\s+from|intro(?:duced)?\s+by)\s+(?P<ref>
        [A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){{0,2}}|[{CJK}]{{2,12}})
    | (?<![A-Za-z])(?P<kind3>(?i:distributor|dealer|reseller|wholesaler|agent))\s*[:-]?\s*
        (?P<name3>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){{0,2}})
    | (?<![A-Za-z])(?i:via|through|thru)\s+(?P<name5>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){{0,2}})
    | (?<![A-Za-z])(?P<kind4>(?i:e-?commerce|direct\s+(?:sales?|store)|referral|
        (?:via|through)\s+(?:a\s+|the\s+|our\s+)?(?:distributor|dealer|reseller|agent)s?))(?![A-Za-z])
    """,
    re.VERBOSE,
)
_ZH_RE = re.compile(
    rf"""
      (?<![{CJK}])渠道\s*[:：]?\s*(?P<k1>经销商|經銷商|代理商|分销商|分銷商)\s*[:：]?\s*(?P<n1>[{CJK}A-Za-z0-9&]{{2,12}})
    | (?<![{CJK}])渠道\s*[:：]?\s*(?P<k6>经销|經銷|代理|分销|分銷)\s+
      (?P<n6>[{CJK}A-Za-z0-9&]{{2,12}})
    | (?<![{CJK}])渠道\s*[:：]?\s*{_ZH_NAME}\s*(?:{_ZH_KIND}|{_SEP})
    | (?:(?:通过|通過|经由|經由|走)\s*)?
      (?P<k2>经销商|經銷商|代理商|分销商|分銷商|批发商|批發商)\s*[:：]?\s*{_ZH_NAME2}
    | (?:通过|通過|经由|經由|走)\s*(?P<n3>[{CJK}A-Za-z0-9&]{{2,12}}?)
      (?P<k3>经销商|經銷商|经销|經銷|代理商|代理|分销商|分銷商|渠道|电商|電商)
    | (?:经|經|由|通过|通過)\s*(?P<n4>[{CJK}A-Za-z0-9&]{{2,12}}?)
      (?:转介绍|轉介紹|介绍|介紹|推荐|推薦)
    | (?<![{CJK}A-Za-z0-9])(?P<n7>(?:老|小)[{CJK}]|[{CJK}](?:总|總|经理|經理|姐|哥|工))
      (?:转介绍|轉介紹|介绍|介紹|推荐|推薦)(?:了|的)?  # 老王介绍的客户: a person who referred it
    | (?P<k5>转介绍|轉介紹|直营|直營|直销|直銷|电商|電商|经销|經銷|代理商|代理)(?:渠道)?
    """,
    re.VERBOSE,
)
# "via WeChat" is a medium, not a partner.
_NOT_PARTNERS = frozenset({
    "wechat", "weixin", "email", "e-mail", "mail", "phone", "zoom", "teams", "telegram",
    "whatsapp", "linkedin", "skype", "sms", "text", "dingtalk", "feishu", "lark", "slack",
    "google", "facebook", "twitter", "instagram", "video", "i", "we", "the", "our", "their",
})  # fmt: skip
# A partner name typed in lower case ends at the first of these words (dates are blanked
# before channels are looked for, so "next tuesday" is not in the text by then).
_LOWER_END = frozenset({
    "about", "for", "to", "and", "with", "on", "at", "in", "re", "regarding", "follow",
    "following", "followup", "by", "who", "that", "which", "they", "he", "she", "it", "we",
    "i", "the", "our", "a", "an", "said", "says", "wants", "want", "will", "would", "asked",
    "is", "are", "was", "were", "has", "have", "had", "but", "so", "then", "also", "order",
    "ordered", "quote", "quoted", "deal", "customer", "client", "today", "tomorrow", "next",
    "this", "last", "yesterday", "tonight", "via", "through", "from", "of", "as", "or",
})  # fmt: skip
# What "渠道…" is about when it names no partner: 渠道政策 (the channel policy), 渠道价格 …
_CHANNEL_TOPICS = frozenset({
    "政策", "价格", "價格", "价", "費用", "费用", "管理", "建设", "建設", "开发", "開發",
    "拓展", "冲突", "衝突", "问题", "問題", "合作", "利润", "利潤", "返利", "库存", "庫存",
    "方面", "情况", "情況", "策略", "体系", "體系", "布局", "资源", "資源", "关系", "關係",
    "会议", "會議", "推广", "推廣", "商", "伙伴", "夥伴", "经理", "經理", "销售", "銷售",
    "下沉", "覆盖", "覆蓋", "铺货", "鋪貨", "折扣", "支持", "培训", "培訓", "激励", "激勵",
})  # fmt: skip
# A partner name ends where the sentence goes on: 华泰下单, 华泰的报价.
_PARTNER_END_RE = re.compile(
    r"下单|下單|介绍|介紹|推荐|推薦|采购|採購|报价|報價|的|那边|那邊|过来|過來|拿货|拿貨|拿下|签了|簽了|"
    r"签约|簽約|成交|搞定|谈下|談下|卖给|賣給|供货|供貨|给|給"
)


def find_channel(text: str) -> ChannelMatch | None:
    """Return the channel kind and partner named in text, or None."""
    found = [m for m in (_zh(text), _en(text)) if m is not None]
    if not found:
        return None
    # Prefer a match that names a partner, then the earliest one.
    found.sort(key=lambda c: (c.partner is None, c.start))
    return found[0]


def _en(text: str) -> ChannelMatch | None:
    m = _EN_RE.search(text)
    if m is None:
        return None
    if m["name"]:
        kind = m["kind"].lower()
        return ChannelMatch(_KINDS.get(kind), _partner(m["name"]), m.start(), m.end())
    if m["lname"]:
        kind, words = m["kind"].lower(), m["lname"].split()
        kept = list(itertools.takewhile(lambda w: w.lower() not in _LOWER_END, words))
        if not kept:  # "via distributor about the price": the kind alone
            return ChannelMatch(_KINDS.get(kind), None, m.start(), m.start("lname"))
        end = text.index(kept[-1], m.start("lname")) + len(kept[-1])
        return ChannelMatch(_KINDS.get(kind), _partner(" ".join(kept)), m.start(), end)
    if m["plat"]:
        plat = _PLATFORMS[m["plat"].lower()]
        return ChannelMatch("ecommerce", plat, m.start(), m.end())
    if m["name2"]:
        kind = m["kind2"].lower()
        return ChannelMatch(_KINDS[kind], _partner(m["name2"]), m.start(), m.end())
    if m["ref"]:
        return ChannelMatch("referral", _partner(m["ref"]), m.start(), m.end())
    if m["name3"]:
        kind = m["kind3"].lower()
        return ChannelMatch(_KINDS[kind], _partner(m["name3"]), m.start(), m.end())
    if m["name5"]:
        partner = _partner(m["name5"])
        if partner is None or partner.split()[0].lower() in _NOT_PARTNERS:
            return None
        return ChannelMatch(None, partner, m.start(), m.end())
    words = m["kind4"].lower()
    for word, kind in (("commerce", "ecommerce"), ("direct", "direct"), ("referral", "referral"),
                       ("agent", "agent")):  # fmt: skip
        if word in words:
            return ChannelMatch(kind, None, m.start(), m.end())
    return ChannelMatch("distributor", None, m.start(), m.end())


def _zh(text: str) -> ChannelMatch | None:
    m = _ZH_RE.search(text)
    if m is None:
        return None
    s, e = m.start(), m.end()
    if m["n1"]:
        return _zh_match(m["k1"], m["n1"], s, e)
    if m["n6"]:  # 渠道经销 华泰: the kind, then the partner after a space
        return _zh_match(m["k6"], m["n6"], s, e)
    if m["zname"]:
        kind = _KINDS[m["zkind"]] if m["zkind"] else None
        partner = _partner(m["zname"])
        if partner in _CHANNEL_TOPICS:  # 渠道政策: what was talked about, not a partner
            return None
        if partner in _PLATFORMS:
            kind = "ecommerce"
        elif partner in _KINDS:  # 渠道经销: a kind, no partner named
            kind, partner = _KINDS[partner], None
        return ChannelMatch(kind, partner, s, e)
    if m["zname2"]:
        return _zh_match(m["k2"], m["zname2"], s, e)
    if m["n3"]:
        kind = None if m["k3"] == "渠道" else _KINDS[m["k3"]]
        return ChannelMatch(kind, _partner(m["n3"]), s, e)
    if m["n4"] or m["n7"]:
        return ChannelMatch("referral", _partner(m["n4"] or m["n7"]), s, e)
    return ChannelMatch(_KINDS[m["k5"]], None, s, e)


def _zh_match(kind_word: str, name: str, start: int, end: int) -> ChannelMatch:
    cut = _PARTNER_END_RE.search(name)
    if cut is not None:
        end -= len(name) - cut.start()
        name = name[: cut.start()]
    return ChannelMatch(_KINDS[kind_word], _partner(name), start, end)


def _partner(name: str) -> str | None:
    cut = _PARTNER_END_RE.search(name)
    if cut is not None and cut.start() >= 2:
        name = name[: cut.start()]
    name = name.strip(" .,'’-:：")
    return name[:120] if len(name) >= 2 or (name and not name.isascii()) else None
