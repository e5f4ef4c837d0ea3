"""Reading and writing office sheets (ORG-14): headers, messy cells, typed values, text-only
exports."""

import datetime
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lianxin.common import sheets
from lianxin.common.sheets import CellError, Column

COLUMNS = [
    Column("name", "姓名", ("名字",), required=True),
    Column("id_number", "身份证号", ("公民身份号码", "身份证号码")),
    Column("phone", "手机", ("联系电话", "手机号码")),
    Column("ethnicity", "民族"),
    Column("party", "政治面貌"),
]


def valid_id(body17: str = "41042519800101001") -> str:
    return body17 + sheets.id_number_check_digit(body17)


def xlsx(rows, merges=()):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_it_finds_the_header_below_title_rows_by_aliases():
    data = xlsx(
        [
            ["甲镇人大代表名册"],
            ["填报单位：甲镇人大主席团", None, "日期：2024年1月"],
            [],
            ["序号", "名字", "公民身份号码", "联系电话"],
            [1, "张三", valid_id(), "13900000000"],
        ],
        merges=["A1:D1"],
    )
    table = sheets.read_table(data, "名册.xlsx", COLUMNS)
    assert table.header_line == 4
    assert [(r.line, r.text("name"), r.text("phone")) for r in table.rows] == [
        (5, "张三", "13900000000")
    ]


def test_it_reads_a_two_row_header_with_merged_cells():
    data = xlsx(
        [
            ["名册"],
            ["姓名", "基本信息", None, "身份证号\n（18位）", "联系方式"],
            [None, "民族", "政治面貌", None, "手机号码"],
            ["李四", "汉族", "群众", valid_id(), "13900000001"],
        ],
        merges=["A2:A3", "B2:C2", "D2:D3"],
    )
    table = sheets.read_table(data, "a.xlsx", COLUMNS)
    row = table.rows[0]
    assert row.line == 4
    assert (row.text("name"), row.text("ethnicity"), row.text("party")) == ("李四", "汉族", "群众")
    assert row.text("id_number") == valid_id()
    assert row.text("phone") == "13900000001"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_csv_in_the_encodings_excel_saves(encoding):
    text = "名册\n姓名,身份证号\n王五," + valid_id() + "\n"
    table = sheets.read_table(text.encode(encoding), "a.csv", COLUMNS)
    assert table.rows[0].text("name") == "王五"


def test_it_refuses_a_sheet_without_a_header_or_of_another_format():
    with pytest.raises(sheets.SheetError, match="找不到表头行"):
        sheets.read_table(b"a,b\n1,2\n", "a.csv", COLUMNS)
    with pytest.raises(sheets.SheetError, match="只支持CSV或XLSX文件"):
        sheets.read_table(b"x", "a.txt", COLUMNS)
    with pytest.raises(sheets.SheetError, match=r"另存为\.xlsx"):
        sheets.read_table(b"x", "a.xls", COLUMNS)


def test_it_cleans_full_width_characters_and_every_kind_of_space():
    assert sheets.compact("\u3000ＡＢＣ１２３\u00a0") == "ABC123"
    assert sheets.compact("张　三") == "张三"
    assert sheets.clean_text(" 某某局（办公室）\u3000") == "某某局（办公室）"
    assert sheets.normalise_header("*身份证号（18位）") == "身份证号"


def test_it_accepts_complete_id_numbers_as_text_or_integers():
    good = valid_id()
    assert sheets.parse_id_number(good) == good
    assert sheets.parse_id_number(int(good)) == good
    assert sheets.parse_id_number("４１０４２５１９８００１０１００１" + good[-1]) == good
    assert sheets.parse_id_number("'" + good) == good


@pytest.mark.parametrize(
    "value",
    [4.10425198001011e17, "4.10425E+17", "4.10425198001011E+17", 410425198001011000],
)
def test_it_refuses_id_numbers_that_lost_digits_in_excel(value):
    with pytest.raises(CellError, match="后几位已经丢失"):
        sheets.parse_id_number(value)


def test_it_refuses_a_wrong_check_digit_and_a_masked_number():
    good = valid_id()
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(CellError, match="校验位不正确"):
        sheets.parse_id_number(wrong)
    with pytest.raises(CellError, match="已打码"):
        sheets.parse_id_number("4****************1")


@given(st.from_regex(r"\A[1-6][0-9]{16}\Z"))
@settings(deadline=None, max_examples=200)
def test_it_keeps_every_valid_id_number_whole(body):
    number = body + sheets.id_number_check_digit(body)
    assert sheets.parse_id_number(number.lower()) == number
    assert sheets.parse_id_number(" " + sheets.to_half_width(number) + "\u3000") == number


@pytest.mark.parametrize(
    "value",
    [
        "2021-10-01",
        "2021/10/1",
        "2021.10.1",
        "2021年10月1日",
        "２０２１年１０月１日",
        "20211001",
        20211001,
        44470,
        44470.0,
        "44470",
        datetime.datetime(2021, 10, 1, 0, 0),
        datetime.date(2021, 10, 1),
        "2021-10-01 00:00:00",
    ],
)
def test_it_reads_dates_as_offices_write_them(value):
    assert sheets.parse_date(value) == datetime.date(2021, 10, 1)


def test_it_refuses_an_impossible_date():
    with pytest.raises(CellError, match="日期“2021-13-01”无法识别"):
        sheets.parse_date("2021-13-01")
    assert sheets.parse_date("") is None


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2099, 12, 31)))
@settings(deadline=None)
def test_it_reads_back_every_date_it_writes(day):
    assert sheets.parse_date(sheets.as_text(day)) == day
    assert sheets.parse_date(f"{day.year}年{day.month}月{day.day}日") == day


def test_it_reads_phone_numbers_stored_as_numbers():
    assert sheets.parse_phone(13912345678) == "13912345678"
    assert sheets.parse_phone(13912345678.0) == "13912345678"
    assert sheets.parse_phone("139 1234 5678") == "13912345678"
    with pytest.raises(CellError, match="手机号码“12345”格式不正确"):
        sheets.parse_phone("12345")


def test_it_writes_every_value_as_a_text_cell_never_a_formula():
    data = sheets.write_xlsx(
        ["姓名", "备注", "数字"], [["=1+1", "+86", 410425198001010014], ["@SUM(A1)", "-3", None]]
    )
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
    assert all(c.number_format == "@" for c in cells)
    assert sheet["A2"].value == "=1+1"
    assert sheet["C2"].value == "410425198001010014"
    table = sheets.read_table(data, "x.xlsx", [Column("a", "姓名"), Column("b", "备注")])
    assert table.rows[0].text("a") == "=1+1"


@given(st.text(min_size=1, max_size=20).filter(lambda t: t.strip() == t and t.isprintable()))
@settings(deadline=None, max_examples=100)
def test_it_guards_formulas_in_csv_and_reads_the_value_back(value):
    data = sheets.write_csv(["姓名", "备注"], [[value, "x"]])
    written = data.decode("utf-8-sig").splitlines()[1]
    assert not written.lstrip('"').startswith(("=", "+", "-", "@"))
    table = sheets.read_table(data, "x.csv", [Column("a", "姓名"), Column("b", "备注")])
    assert table.rows[0].text("a") == value
