"""Which column holds what: fuzzy header matching against English and Chinese synonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.exchange.cells import unneutralize
from bot.exchange.readers import CellValue

# The fields an import fills, in the order the mapping is shown.
FIELDS = (
    "name",
    "contact",
    "phone",
    "channel",
    "partner",
    "owner",
    "stage",
    "amount",
    "note",
    "last_activity",
    "next_followup",
)

SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "客户名称", "客户", "客户名", "客户全称", "公司", "公司名称", "公司名", "企业名称", "企业",
        "单位名称", "单位", "名称", "门店名称", "店名", "商户名称",
        "customer", "customer name", "company", "company name", "account", "account name",
        "client", "client name", "name", "organization", "organisation", "business name",
    ),
    "contact": (
        "联系人", "联系人姓名", "姓名", "对接人", "联系人名称", "关键人",
        "contact", "contact name", "contact person", "person",
    ),
    "phone": (
        "电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "联系人电话",
        "座机", "联系人手机",
        "phone", "mobile", "tel", "telephone", "phone number", "mobile phone", "cell", "mobile no",
    ),
    "channel": (
        "渠道", "渠道类型", "销售渠道", "来源", "客户来源", "渠道来源", "来源渠道",
        "channel", "source", "sales channel", "channel type", "lead source",
    ),
    "partner": (
        "经销商", "代理商", "合作伙伴", "代理", "分销商", "渠道商", "经销商名称", "代理商名称",
        "合作方", "partner", "distributor", "agent", "dealer", "reseller", "partner name",
    ),
    "owner": (
        "负责人", "销售", "业务员", "销售员", "客户经理", "跟进人", "归属销售", "所属销售",
        "销售负责人", "归属人", "owner", "sales rep", "rep", "salesperson", "sales person",
        "account manager", "assigned to", "sales", "account owner",
    ),
    "stage": (
        "阶段", "销售阶段", "状态", "客户阶段", "跟进阶段", "客户状态", "商机阶段",
        "stage", "status", "pipeline stage", "deal stage", "sales stage",
    ),
    "amount": (
        "金额", "预计金额", "合同金额", "成交金额", "预算", "商机金额", "订单金额", "金额元",
        "amount", "value", "deal value", "deal amount", "revenue", "budget", "deal size",
    ),
    "note": (
        "备注", "说明", "跟进记录", "描述", "情况说明", "备注信息", "跟进情况",
        "note", "notes", "remark", "remarks", "comment", "comments", "description",
    ),
    "last_activity": (
        "最近跟进", "最近跟进时间", "最近跟进日期", "最后跟进", "最后跟进时间", "最近联系",
        "最近联系时间", "上次跟进", "上次跟进时间", "最后联系时间", "最后联系",
        "最近活动", "last contact", "last activity", "last contacted", "last follow up",
        "last followup", "last touch", "last visit", "last contact date", "last activity date",
    ),
    # A date ahead: it becomes a follow-up task (跟进日期 in a sheet is the planned one).
    "next_followup": (
        "下次跟进", "下次跟进时间", "下次跟进日期", "下次联系", "下次联系时间", "下次联系日期",
        "下次拜访", "下次拜访时间", "跟进日期", "跟进时间", "计划跟进", "计划跟进时间", "预约时间",
        "回访时间", "回访日期",
        "next follow up", "next followup", "next follow up date", "follow up date",
        "followup date", "follow up on", "next contact", "next contact date",
        "next action date", "next step date", "next call", "next visit", "callback date",
    ),
}  # fmt: skip

CUTOFF = 80.0
HEADER_SEARCH_ROWS = 10

_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_NOISE = re.compile(r"[\s_\-./:：*#·,，、\"'“”]+")


@dataclass(frozen=True)
class ColumnMapping:
    """The header row and, for each field found, the index of its column."""

    header_index: int  # index into the table's rows
    headers: list[str]
    columns: dict[str, int]
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def ignored(self) -> list[str]:
        """Return the non-empty headers that feed no field."""
        used = set(self.columns.values())
        return [h for i, h in enumerate(self.headers) if h and i not in used]


def header_key(text: str) -> str:
    """Normalize a header: no brackets, marks, spaces or case; '客户名称（必填）*' → '客户名称'."""
    text = unneutralize(text).casefold()
    text = _BRACKETED.sub("", text)
    return _NOISE.sub("", text)


_KEYS: list[tuple[str, str]] = [
    (header_key(synonym), name) for name, synonyms in SYNONYMS.items() for synonym in synonyms
]


def score_header(text: str) -> tuple[str, float] | None:
    """Return the field a header most likely names, with its score (0–100), if any."""
    key = header_key(text)
    if not key:
        return None
    best: tuple[str, float] | None = None
    for synonym, name in _KEYS:
        score = 100.0 if key == synonym else fuzz.ratio(key, synonym)
        if score >= CUTOFF and (best is None or score > best[1]):
            best = (name, score)
            if score == 100.0:
                break
    return best


def map_headers(headers: list[str]) -> dict[str, tuple[int, float]]:
    """Assign each field at most one column and each column at most one field, best first."""
    candidates: list[tuple[float, int, str]] = []
    for index, header in enumerate(headers):
        found = score_header(header) if header else None
        if found is not None:
            candidates.append((found[1], -index, found[0]))
    assigned: dict[str, tuple[int, float]] = {}
    used: set[int] = set()
    for score, negative_index, name in sorted(candidates, reverse=True):
        index = -negative_index
        if name not in assigned and index not in used:
            assigned[name] = (index, score)
            used.add(index)
    return assigned


def locate_header(rows: list[list[CellValue]]) -> ColumnMapping | None:
    """Find the header row among the first rows (title rows may sit above it) and map it.

    Return None when no row has a column for the customer's name.
    """
    best: ColumnMapping | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = ["" if cell is None else str(cell).strip() for cell in row]
        assigned = map_headers(headers)
        if "name" not in assigned:
            continue
        mapping = ColumnMapping(
            header_index=index,
            headers=headers,
            columns={name: col for name, (col, _) in assigned.items()},
            scores={name: score for name, (_, score) in assigned.items()},
        )
        if best is None or len(mapping.columns) > len(best.columns):
            best = mapping
    return best


def first_headers(rows: list[list[CellValue]]) -> list[str]:
    """Return the first row's texts (to show when no header row could be found)."""
    if not rows:
        return []
    return [str(cell).strip() for cell in rows[0] if cell not in (None, "")]
