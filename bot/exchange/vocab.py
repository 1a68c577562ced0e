"""Words people write in old spreadsheets for channel kinds and pipeline stages."""

from __future__ import annotations

import re

CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    "distributor": (
        "经销", "经销商", "分销", "分销商", "批发", "批发商", "经销渠道",
        "distributor", "distribution", "dealer", "reseller", "wholesaler", "wholesale",
    ),
    "agent": ("代理", "代理商", "代理渠道", "agent", "agency"),
    "ecommerce": (
        "电商", "网店", "线上", "淘宝", "天猫", "京东", "拼多多", "抖音",
        "e-commerce", "ecommerce", "online", "tmall", "taobao", "jd",
    ),
    "direct": ("直营", "直营店", "直销", "门店", "direct", "direct store", "direct sales"),
    "referral": ("转介绍", "介绍", "推荐", "老客户介绍", "referral", "referred", "referrals"),
    "other": ("其他", "其它", "other", "others"),
}  # fmt: skip

STAGE_WORDS: dict[str, tuple[str, ...]] = {
    "lead": ("线索", "潜在", "潜在客户", "意向", "意向客户", "新客户", "新线索",
             "lead", "new", "prospect", "new lead"),
    "contacted": ("已联系", "联系", "初步接触", "接触", "已沟通", "contacted", "contact made"),
    "visited": ("已拜访", "拜访", "已上门", "visited", "visit", "meeting", "met"),
    "quoted": ("已报价", "报价", "方案", "quoted", "quote", "proposal", "quotation"),
    "contract": ("签合同", "合同", "签约", "谈判", "商务谈判", "contract", "negotiation"),
    "shipped": ("已发货", "发货", "交付", "shipped", "delivered"),
    "won": ("成交", "已成交", "赢单", "已回款", "回款", "签单", "won", "closed won", "win"),
    "lost": ("丢单", "输单", "失败", "流失", "已流失", "lost", "closed lost", "dead"),
}  # fmt: skip

_SPACES = re.compile(r"[\s_\-]+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", text.casefold()).strip()


_CHANNEL_KEYS = {_key(word): kind for kind, words in CHANNEL_WORDS.items() for word in words}
_STAGE_KEYS = {_key(word): stage for stage, words in STAGE_WORDS.items() for word in words}
# For a word inside a longer cell, longest first: an English word must stand alone, a Chinese
# one (two characters at least) may sit anywhere.
_CHANNEL_SEARCH: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word)),
        kind,
    )
    for word, kind in sorted(_CHANNEL_KEYS.items(), key=lambda item: -len(item[0]))
    if word.isascii() or len(word) >= 2
]


def channel_kind(text: str) -> str | None:
    """Return the channel kind a cell names: '经销商' / '华东经销' / 'Distributor' → distributor."""
    key = _key(text)
    if key in _CHANNEL_KEYS:
        return _CHANNEL_KEYS[key]
    return next((kind for pattern, kind in _CHANNEL_SEARCH if pattern.search(key)), None)


def stage_word(text: str) -> str | None:
    """Return the default stage key a common word names: '意向客户' → lead, 'Closed Won' → won."""
    return _STAGE_KEYS.get(_key(text))
