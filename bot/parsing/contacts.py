"""Contact persons: "contact Li Lei", "联系人张三", "张总", "王经理", "Mr. Smith"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.parsing.text import CJK, Span


@dataclass(frozen=True, slots=True)
class ContactMatch:
    """A contact person's name and the span of the phrase that named them."""

    name: str
    start: int
    end: int
    labelled: bool  # "联系人张三"/"contact Li Lei" (structured) rather than "张总" in a sentence


_SURNAMES = (
    "欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 东方 東方 慕容 令狐 皇甫 "
    "王 李 张 張 刘 劉 陈 陳 杨 楊 黄 黃 赵 趙 吴 吳 周 徐 "
    "孙 孫 马 馬 朱 胡 郭 何 林 高 罗 羅 郑 鄭 梁 谢 謝 宋 "
    "唐 许 許 韩 韓 冯 馮 邓 鄧 曹 彭 曾 肖 蕭 田 董 潘 袁 "
    "蔡 蒋 蔣 余 于 杜 叶 葉 程 魏 苏 蘇 吕 呂 丁 任 沈 姚 "
    "卢 盧 傅 钟 鍾 姜 崔 谭 譚 陆 陸 范 汪 廖 石 金 韦 韋 "
    "贾 賈 夏 付 方 邹 鄒 熊 白 孟 秦 邱 侯 江 尹 薛 闫 閻 "
    "段 雷 龙 龍 黎 史 陶 贺 賀 毛 郝 顾 顧 龚 龔 邵 万 萬 "
    "覃 武 钱 錢 戴 严 嚴 莫 孔 向 常 汤 湯 康 易 乔 喬 赖 "
    "賴 文 施 洪 牛 温 溫 庞 龐 樊 兰 蘭 殷 齐 齊 安 颜 顏 "
    "倪 柯 骆 駱 关 關 祝 翁 甘 左 岳 章 鲁 魯 葛 伍 包 宁 "
    "寧 欧 歐 华 華"
).split()
_TITLES = (
    "总监|總監|总经理|總經理|总|總|经理|經理|主任|老板|老闆|董事长|董事長|董|"
    "厂长|廠長|局长|局長|处长|處長|科长|科長|部长|部長|主管|老师|老師|先生|女士|"
    "小姐|工|姐|哥"
)
# Words that start with a title character but are not titles: 总部 (HQ), 总共 (in total), …
_NOT_TITLE_AFTER = (
    "部|共|计|計|额|額|价|價|数|數|体|體|之|是|算|量|结|結|厂|廠|作|程|资|資|具|地|"
    "艺|藝|业|業|会|會|人|司"
)
_TITLE_RE = re.compile(rf"(?P<sur>{'|'.join(_SURNAMES)})(?P<title>{_TITLES})(?!{_NOT_TITLE_AFTER})")
_LABEL_RE = re.compile(
    rf"""
    (?:联系人|聯繫人|聯絡人|联络人|对接人|對接人|负责人|負責人)\s*[:：是为為]?\s*
    (?P<zname>[{CJK}·]{{2,4}}|[A-Za-z][A-Za-z.'’-]*(?:\s[A-Z][A-Za-z.'’-]*){{0,2}})
  | (?i:contact(?:\s+person)?|poc|spoke\s+(?:to|with)|talked\s+(?:to|with)|attn)
    \s*(?:is\s+|:\s*|-\s*)?
    (?P<name>(?:(?:Mr|Mrs|Ms|Dr|Miss)\.?\s+)?[A-Z][A-Za-z'’-]*(?:\s+[A-Z][A-Za-z'’-]*){{0,2}}
      |[{CJK}]{{2,4}})
  | (?<![A-Za-z])(?P<honorific>(?:Mr|Mrs|Ms|Dr)\.?\s+[A-Z][A-Za-z'’-]+)
  | (?<![A-Za-z])(?i:met(?:\s+up)?(?:\s+with)?|meeting\s+with|(?:lunch|dinner|coffee)\s+with
      |call(?:ed)?(?:\s+with)?|visited|saw)
    \s+(?P<mname>[A-Z][A-Za-z'’-]*(?:\s+[A-Z][A-Za-z'’-]*)?)
    (?=\s+(?i:from|of|at)\s+[A-Z{CJK}])  # "met Sarah from Initech": a person of a customer
    """,
    re.VERBOSE,
)
# A Chinese name runs straight into the next words; cut it where they start.
_NAME_END_RE = re.compile(
    r"电话|電話|手机|手機|微信|邮箱|郵箱|座机|座機|联系|聯繫|说|說|的|在|和|跟|，|,"
)
_STOP_WORDS = frozenset({"The", "We", "They", "He", "She", "It", "I", "Them", "Our", "Their"})


def find_contact(text: str, stops: Sequence[Span] = ()) -> ContactMatch | None:
    """Return the first contact person named in text, or None; a name ends at any stop span."""
    m = _LABEL_RE.search(text)
    if m is not None:
        group = next(g for g in ("zname", "name", "mname", "honorific") if m[g])
        start = m.start(group)
        end = min([m.end(group), *(a for a, _ in stops if start < a < m.end(group))])
        name = text[start:end]
        cut = _NAME_END_RE.search(name)
        if cut is not None:
            name = name[: cut.start()]
        name = name.strip(" .'’-")
        words = name.split()
        while words and words[-1] in _STOP_WORDS:
            words.pop()
        name = " ".join(words)
        if len(name) >= 2:
            return ContactMatch(name, m.start(), start + len(name), group != "honorific")
    t = _TITLE_RE.search(text)
    if t is not None:
        if t["sur"] in ("周", "週") and t.start() > 0 and text[t.start() - 1] in "本上下这這每":
            return None  # 本周总结: a week, not Mr. Zhou
        return ContactMatch(t.group(), t.start(), t.end(), False)
    return None
