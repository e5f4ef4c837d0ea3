"""Reading and writing the sheets offices keep (ORG-14): XLSX and CSV, as they really come.

Reading finds the header row below any title rows by matching known column names and their
aliases (a one- or two-row header, merged cells included), cleans each cell (stray spaces,
full-width digits and letters) and offers typed parsers that refuse what cannot be trusted:
an ID number Excel stored as a number has lost its last digits and is refused, never guessed.

Writing makes every value a text cell (never a formula, never a number that Excel would
round), so an exported sheet re-imports unchanged and a cell beginning with ``=`` stays text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_ROWS = 20000
HEADER_SCAN_ROWS = 20
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


class SheetError(Exception):
    """The file as a whole cannot be read (wrong format, no header): a Chinese message."""


class CellError(ValueError):
    """One cell's value is unusable: a Chinese message naming what is wrong."""


@dataclass(frozen=True)
class Column:
    """One column an import understands: a key, its header and the headers offices use."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the header must be present
    note: str = ""  # shown in the template's notes
    example: str = ""

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.label, *self.aliases)}


@dataclass
class Row:
    line: int  # the row number as the spreadsheet shows it
    cells: dict[str, Any]

    def text(self, key: str) -> str:
        return clean_text(self.cells.get(key))

    def raw(self, key: str) -> Any:
        return self.cells.get(key)


@dataclass
class Table:
    rows: list[Row]
    header_line: int
    found: list[str] = field(default_factory=list)  # keys of the columns found


# --- Cleaning -----------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def to_half_width(text: str) -> str:
    """ＡＢＣ１２３ → ABC123 (the full-width ASCII block and the ideographic space)."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def clean_text(value: Any) -> str:
    """A cell as text: ends stripped of any kind of space; a CSV formula guard removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = text.strip(" \t\r\n\u3000")
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]  # written by ``safe_csv_value``
    return text


def compact(value: Any) -> str:
    """Text without any spaces, half-width: for codes, numbers, names and choices."""
    return _SPACES.sub("", to_half_width(clean_text(value)))


def normalise_header(value: Any) -> str:
    """A header cell as matched: no spaces or line breaks, half-width, without a required
    marker or a note in brackets (``*身份证号（18位）`` → ``身份证号``)."""
    text = compact(value)
    text = re.sub(r"[(（\[【].*?[)）\]】]", "", text)
    return text.strip("*:：")


# --- Typed values -------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_LOST = (
    "身份证号“%(v)s”被Excel存成了数字，后几位已经丢失，无法恢复。"
    "请把该列设置为“文本”格式后重新填写（或在号码前加英文单引号）。"
)


def id_number_check_digit(body17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(value: Any) -> str:
    """An 18-digit resident ID (GB 11643) with a valid check digit, upper-case X.

    A number cell is accepted only when it is complete (an exact integer with a valid check
    digit); a float or scientific notation (``4.10425E+17``) has lost digits and is refused.
    """
    if isinstance(value, bool):
        raise CellError(_("身份证号格式不正确"))
    if isinstance(value, float):
        shown = f"{value:.6G}" if value >= 1e15 else clean_text(value)
        if value >= 1e15 or not value.is_integer():
            raise CellError(_(_LOST) % {"v": shown})
        value = int(value)
    text = compact(value).upper()
    if text.startswith("'"):
        text = text[1:]
    if _SCIENTIFIC.match(text):
        raise CellError(_(_LOST) % {"v": text})
    if "*" in text:
        raise CellError(_("身份证号“%(v)s”已打码，请填写完整号码") % {"v": text})
    if not re.fullmatch(r"\d{17}[\dX]", text):
        if isinstance(value, int) and len(text) > 15:
            raise CellError(_(_LOST) % {"v": text})
        raise CellError(_("身份证号“%(v)s”应为18位（最后一位可以是X）") % {"v": text})
    if id_number_check_digit(text[:17]) != text[17]:
        if isinstance(value, int) and text.endswith("000"):
            raise CellError(_(_LOST) % {"v": text})
        raise CellError(_("身份证号“%(v)s”校验位不正确，请核对") % {"v": text})
    return text


def parse_phone(value: Any) -> str:
    """A mobile number (11 digits) or a landline with its area code; "" when empty."""
    text = compact(value).replace("-", "").replace("—", "")
    if text.startswith("+86"):
        text = text[3:]
    if not text:
        return ""
    if re.fullmatch(r"1[3-9]\d{9}", text) or re.fullmatch(r"0\d{9,11}", text):
        return text
    raise CellError(_("手机号码“%(v)s”格式不正确") % {"v": clean_text(value)})


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any) -> datetime.date | None:
    """A date as offices write it; None when empty.

    2021-10-01, 2021/10/1, 2021.10.1, 2021年10月1日, 20211001, an Excel date serial (44470)
    or a date/datetime cell.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            value = str(int(number))
        elif 1 <= number < 80000:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(number))
    text = re.sub(r"\s+", " ", to_half_width(clean_text(value)))
    text = re.sub(r"\s*([年月日./-])\s*", r"\1", text)
    if not text:
        return None
    if re.fullmatch(r"\d{5}", text):
        return _EXCEL_EPOCH + datetime.timedelta(days=int(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise CellError(_("日期“%(v)s”无法识别，请写成 2021-10-01 的格式") % {"v": clean_text(value)})


def parse_int(value: Any, label: str) -> int | None:
    text = compact(value)
    if not text:
        return None
    text = re.sub(r"^第(\d+)[届次]$", r"\1", text)
    try:
        number = float(text)
    except ValueError:
        raise CellError(_("%(label)s“%(v)s”应为数字") % {"label": label, "v": text}) from None
    if not number.is_integer():
        raise CellError(_("%(label)s“%(v)s”应为整数") % {"label": label, "v": text})
    return int(number)


def parse_choice(value: Any, choices: dict[str, str], label: str) -> str:
    """The stored value for a label or alias of a choice (``{"男": "M", "男性": "M"}``)."""
    text = compact(value)
    normalised = {compact(k): v for k, v in choices.items()}
    if text in normalised:
        return normalised[text]
    shown = "、".join(dict.fromkeys(k for k in choices if k and not k.isascii()))
    raise CellError(
        _("%(label)s“%(v)s”无法识别，可填：%(choices)s")
        % {"label": label, "v": clean_text(value), "choices": shown}
    )


# --- Reading ------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(_("无法识别文件编码，请保存为UTF-8编码的CSV。"))


def read_grid(upload: IO[bytes] | bytes, filename: str) -> list[list[Any]]:
    """Every row of the first sheet as a list of cell values (None for empty)."""
    data = upload if isinstance(upload, bytes) else upload.read()
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SheetError(_("无法读取该Excel文件，请确认是.xlsx格式。")) from exc
        try:
            sheet = book.worksheets[0]
            grid = [list(r) for r in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
        return grid
    if lower.endswith(".csv"):
        return [list(r) for r in csv.reader(io.StringIO(_decode(data)))]
    if lower.endswith(".xls"):
        raise SheetError(_("不支持旧版.xls文件，请在Excel中另存为.xlsx后再上传。"))
    raise SheetError(_("只支持CSV或XLSX文件。"))


def _match(
    grid: list[list[Any]], lines: Sequence[int], columns: Sequence[Column]
) -> dict[str, int]:
    """Column key → index for a header made of the given rows (upper rows may be merged
    group titles; a vertically merged cell is empty below its first row)."""
    found: dict[str, int] = {}
    width = max((len(grid[i]) for i in lines), default=0)
    for index in range(width):
        for line in reversed(lines):  # the lowest header row names the column most exactly
            row = grid[line]
            name = normalise_header(row[index]) if index < len(row) else ""
            if not name:
                continue
            column = next((c for c in columns if name in c.names()), None)
            if column is not None and column.key not in found:
                found[column.key] = index
                break
    return found


def find_header(
    grid: list[list[Any]], columns: Sequence[Column]
) -> tuple[list[int], dict[str, int]]:
    """The header rows (0-based) and the column positions; a second header row counts only
    when it names columns the first did not."""
    best: tuple[int, list[int], dict[str, int]] = (0, [], {})
    for line in range(min(HEADER_SCAN_ROWS, len(grid))):
        one = _match(grid, [line], columns)
        candidates = [([line], one)]
        if line + 1 < len(grid):
            two = _match(grid, [line, line + 1], columns)
            if len(two) > len(one):
                candidates.append(([line, line + 1], two))
        for lines, found in candidates:
            if len(found) > best[0]:
                best = (len(found), lines, found)
    return best[1], best[2]


def read_table(
    upload: IO[bytes] | bytes,
    filename: str,
    columns: Sequence[Column],
    *,
    positional_fallback: bool = False,
    max_rows: int = MAX_ROWS,
) -> Table:
    """The data rows of a sheet below its header, keyed by column; empty rows skipped."""
    grid = read_grid(upload, filename)
    lines, found = find_header(grid, columns)
    if len(found) < 2 and positional_fallback:
        lines, found = [-1], {c.key: i for i, c in enumerate(columns)}
    elif len(found) < 2:
        raise SheetError(
            _("找不到表头行。表头应包含这些列名：%(names)s")
            % {"names": "、".join(c.label for c in columns)}
        )
    missing = [c.label for c in columns if c.required and c.key not in found]
    if missing:
        raise SheetError(_("表头缺少必填列：%(names)s") % {"names": "、".join(missing)})
    start = lines[-1] + 1
    rows: list[Row] = []
    for index in range(start, len(grid)):
        values = grid[index]
        cells = {key: values[i] if i < len(values) else None for key, i in found.items()}
        if not any(clean_text(v) for v in cells.values()):
            continue
        rows.append(Row(line=index + 1, cells=cells))
        if len(rows) > max_rows:
            raise SheetError(_("一次最多导入%(n)s行，请分批导入。") % {"n": max_rows})
    return Table(rows=rows, header_line=start, found=list(found))


# --- Writing ------------------------------------------------------------------------------


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    notes: Sequence[str] | None = None,
    blank_text_rows: int = 0,
) -> bytes:
    """An XLSX where every cell is text (data type "s", number format "@"), never a formula.

    ``notes`` become comments on the header cells and a second sheet "填表说明";
    ``blank_text_rows`` pre-formats empty rows as text so that ID numbers typed into a
    template are kept whole.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2DCDB")
    for col, header in enumerate(headers, start=1):
        cell = _text_cell(sheet, 1, col, header)
        cell.font, cell.fill = bold, fill
        if notes and col <= len(notes) and notes[col - 1]:
            cell.comment = Comment(notes[col - 1], "连心桥")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, len(str(header)) * 2 + 4))
    line = 1
    for line, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            _text_cell(sheet, line, col, value)
    for extra in range(line + 1, line + 1 + blank_text_rows):
        for col in range(1, len(headers) + 1):
            sheet.cell(row=extra, column=col).number_format = "@"
    sheet.freeze_panes = "A2"
    if notes:
        guide = book.create_sheet("填表说明")
        _text_cell(guide, 1, 1, "列名").font = bold
        _text_cell(guide, 1, 2, "说明").font = bold
        for i, (header, note) in enumerate(zip(headers, notes, strict=False), start=2):
            _text_cell(guide, i, 1, header)
            _text_cell(guide, i, 2, note)
        guide.column_dimensions["A"].width = 20
        guide.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column)
    cell.value = as_text(value)
    cell.data_type = "s"  # assigning "=..." made it a formula; it is text
    cell.number_format = "@"
    return cell


def safe_csv_value(value: Any) -> str:
    """A value that a spreadsheet will not run as a formula: ``'`` before = + - @."""
    text = as_text(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM (so that Excel opens it in Chinese), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_csv_value(h) for h in headers])
    for values in rows:
        writer.writerow([safe_csv_value(v) for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
