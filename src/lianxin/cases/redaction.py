"""Masking personal data written into a citizen's free text (CASE-2, SEC-2).

Before a case's text reaches anyone but staff — public pages, the 附议 list, Open311 — mobile
and landline numbers, ID numbers and names are found and masked. Names are found where the
text introduces them (我叫…, 姓名：…, 联系人…) and wherever a name the case knows (the citizen's
own) appears. Full-width digits and letters are read as their half-width forms; Chinese
punctuation is kept as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_HAN = r"[\u4e00-\u9fff]"
# ID numbers: 17 digits and a digit or X; also 15-digit old ones. Not inside longer numbers.
_ID = re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx](?![0-9])")
_ID_OLD = re.compile(r"(?<![0-9])[1-9]\d{14}(?![0-9])")
# Mobile numbers, possibly written with spaces or dashes (138 1234 5678), with +86 or not.
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?![0-9])")
# Landlines: area code and number (0371-12345678, (0375)1234567).
_LANDLINE = re.compile(r"(?<![0-9])[(（]?0\d{2,3}[)）\s-]?\d{7,8}(?![0-9])")
# Names introduced in the text: 我叫张三, 本人李四, 姓名：王五, 联系人赵六, 联系电话…张先生.
_NAME_INTRO = re.compile(
    rf"(?P<intro>我叫|我是|本人|姓名[:：\s]*|联系人[:：\s]*|反映人[:：\s]*|署名[:：\s]*)"
    rf"(?P<name>{_HAN}{{2,3}})"
)
# The most common surnames: "王先生" is a name, "一位先生" is not.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_TITLE_NAME = re.compile(rf"(?P<name>[{_SURNAMES}])(?P<title>先生|女士|大爷|大妈|阿姨|老师)")
_NOT_NAMES = {
    "村民",
    "居民",
    "群众",
    "代表",
    "本村",
    "我们",
    "大家",
    "一名",
    "一个",
    "这里",
    "附近",
}


def normalise(text: str) -> str:
    """Full-width digits, letters and punctuation as half-width (NFKC)."""
    return unicodedata.normalize("NFKC", text)


# Full-width digits, letters, plus and minus (used in phone numbers) and their half-width forms;
# Chinese punctuation (，。：（）) stays as the citizen wrote it.
_FOLD = {
    **{c: chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)},
    **{c: chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)},
    **{c: chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)},
    0xFF0B: "+",
    0xFF0D: "-",
}


def fold(text: str) -> str:
    """Full-width digits and letters as half-width, one character for one: what redaction reads
    and writes, keeping the text's own punctuation."""
    return text.translate(_FOLD)


def _mask(value: str) -> str:
    return "*" * len(value)


def _mask_number(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return digits[:3] + "*" * max(len(digits) - 5, 4) + digits[-2:] if len(digits) > 6 else "****"


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """The text with ID numbers, phone numbers and names masked."""
    if not text:
        return ""
    out = fold(text)
    for pattern in (_ID, _ID_OLD, _MOBILE, _LANDLINE):
        out = pattern.sub(_mask_number, out)

    def intro(match: re.Match[str]) -> str:
        name = match.group("name")
        if name in _NOT_NAMES:
            return match.group(0)
        return match.group("intro") + name[0] + _mask(name[1:])

    out = _NAME_INTRO.sub(intro, out)
    out = _TITLE_NAME.sub(lambda m: "某" + m.group("title"), out)
    for name in known_names:
        name = fold(name or "").strip()
        if len(name) >= 2:
            out = out.replace(name, name[0] + _mask(name[1:]))
    return out
