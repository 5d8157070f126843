"""Numbers a reader sees but a plain text extraction would not read whole: invisible PDF text, annotation
appearances, a ToUnicode map that lies, hidden and deleted Word runs, Excel numbers, formats and formulas."""

from __future__ import annotations

import io

import files
import openpyxl
import pytest
import weasyprint
from files import HELVETICA, pdf_stream, pdf_text, raw_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spellings import numbers

from gongkai.guard.patterns import ID, PHONE, Found
from gongkai.guard.readers import Unreadable, read
from gongkai.guard.scan import scan_bytes

ID_NUMBER = "341799195907210498"


def _found(data: bytes, name: str) -> set[Found]:
    return {spot.found for spot in scan_bytes(data, name, lines=False).spots}


@pytest.mark.parametrize("mode", [3, 7])
def test_invisible_digits_inside_a_visible_number_are_read_both_ways(mode):
    pdf = pdf_text(f"BT /F1 14 Tf 72 760 Td (Phone: 138) Tj {mode} Tr (99) Tj 0 Tr (00000308) Tj ET")
    assert Found(PHONE, "13800000308") in _found(pdf, "附件.pdf")
    saved = pdf_text(f"BT /F1 14 Tf 72 760 Td (Phone: 138) Tj q {mode} Tr (99) Tj Q (00000309) Tj ET")
    assert Found(PHONE, "13800000309") in _found(saved, "附件.pdf")


@pytest.mark.parametrize(
    ("hide", "show"),
    [
        ("1 g", "0 g"),  # white fill on the white page
        ("1 1 1 rg", "0 0 0 rg"),
        ("0 0 0 0 k", "0 0 0 1 k"),
        ("/F1 0.1 Tf", "/F1 14 Tf"),  # a tenth of a point
        ("0 Tz", "100 Tz"),  # squeezed to nothing
    ],
)
def test_digits_drawn_so_that_nobody_sees_them_hide_nothing(hide, show):
    pdf = pdf_text(f"BT /F1 14 Tf 72 760 Td (Phone: 138) Tj {hide} (99) Tj {show} (00000311) Tj ET")
    assert Found(PHONE, "13800000311") in _found(pdf, "附件.pdf")


HIDES = ["3 Tr", "7 Tr", "1 g", "1 1 1 rg", "/F1 0.1 Tf"]
SHOWS = {"3 Tr": "0 Tr", "7 Tr": "0 Tr", "1 g": "0 g", "1 1 1 rg": "0 0 0 rg", "/F1 0.1 Tf": "/F1 14 Tf"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numbers(), st.integers(1, 17), st.text("0123456789", min_size=1, max_size=3), st.sampled_from(HIDES))
def test_any_number_with_hidden_digits_inside_is_found(number, cut, inserted, hide):
    found, digits = number
    cut = cut % (len(digits) - 1) + 1
    content = (
        f"BT /F1 14 Tf 72 760 Td (No. {digits[:cut]}) Tj {hide} ({inserted}) Tj {SHOWS[hide]} ({digits[cut:]}) Tj ET"
    )
    assert found in _found(pdf_text(content), "附件.pdf")


def test_an_invisible_number_is_read_too():
    pdf = pdf_text("BT /F1 14 Tf 72 760 Td 3 Tr (13800000310) Tj ET")  # an OCR layer: its text counts
    assert _found(pdf, "扫描件.pdf") == {Found(PHONE, "13800000310")}


def test_text_drawn_in_an_annotations_appearance_is_read():
    form = pdf_stream(
        "BT /F1 14 Tf 2 6 Td (Tel 13800000801) Tj ET",
        "/Type /XObject /Subtype /Form /BBox [0 0 200 24] /Resources << /Font << /F1 5 0 R >> >>",
    )
    annotation = "<< /Type /Annot /Subtype /Stamp /Rect [72 700 272 724] /F 4 /AP << /N 7 0 R >> >>"
    pdf = raw_pdf(
        page="/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R]",
        extra=[pdf_stream("BT /F1 14 Tf 72 760 Td (Notice) Tj ET"), HELVETICA.format(""), annotation, form],
    )
    assert _found(pdf, "附件.pdf") == {Found(PHONE, "13800000801")}


LYING = pdf_stream(
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange\n"
    "2 beginbfchar <30> <0061> <31> <0062> endbfchar endcmap end end"
)


def test_a_tounicode_map_that_turns_digits_into_letters_is_refused():
    pdf = pdf_text("BT /F1 14 Tf 72 760 Td (Tel 13800000201) Tj ET", HELVETICA.format("/ToUnicode 6 0 R"), [LYING])
    with pytest.raises(Unreadable) as raised:
        read("附件.pdf", pdf)
    assert (
        raised.value.reason
        == "PDF 第 1 页的字体 F1 把显示为数字的字形标成了别的文字（0 → 'a'），提取的文字与看到的不同"
    )


def test_a_differences_entry_that_names_a_digit_glyph_counts_too():
    font = (
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R "
        "/Encoding << /Type /Encoding /Differences [65 /one /three /eight] >> >>"
    )
    lying = pdf_stream("begincmap\n1 beginbfchar <41> <0041> endbfchar endcmap")
    with pytest.raises(Unreadable):
        read("附件.pdf", pdf_text("BT /F1 14 Tf 72 760 Td (ABC) Tj ET", font, [lying]))
    honest = pdf_stream("begincmap\n1 beginbfrange <30> <39> <0030> endbfrange endcmap")
    pdf = pdf_text("BT /F1 14 Tf 72 760 Td (13800000202) Tj ET", HELVETICA.format("/ToUnicode 6 0 R"), [honest])
    assert _found(pdf, "附件.pdf") == {Found(PHONE, "13800000202")}


@pytest.mark.parametrize("family", ["DejaVu Sans", "Noto Sans CJK SC"])
def test_weasyprint_pdfs_are_not_refused_for_their_fonts(family):
    pdf = weasyprint.HTML(string=f'<p style="font-family: {family}">电话 13812345678，编号 0123456789</p>').write_pdf()
    assert _found(pdf, "公示表.pdf") == {Found(PHONE, "13812345678")}


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(paragraph: str) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p>{paragraph}</w:p></w:body></w:document>'
    )
    return files._zip({"[Content_Types].xml": files.CONTENT_TYPES, "word/document.xml": document})


@pytest.mark.parametrize(
    ("paragraph", "found"),
    [
        (
            "<w:r><w:t>联系电话：138</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>99</w:t></w:r>"
            "<w:r><w:t>00000401</w:t></w:r>",
            Found(PHONE, "13800000401"),
        ),
        (
            '<w:r><w:t>手机：138</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>7</w:delText></w:r></w:del>'
            "<w:r><w:t>00000402</w:t></w:r>",
            Found(PHONE, "13800000402"),
        ),
        (
            f'<w:r><w:t>身份证：{ID_NUMBER[:10]}</w:t></w:r><w:r><w:rPr><w:b/><w:vanish w:val="true"/></w:rPr>'
            f"<w:t>A</w:t></w:r><w:r><w:t>{ID_NUMBER[10:]}</w:t></w:r>",
            Found(ID, ID_NUMBER),
        ),
    ],
)
def test_hidden_and_deleted_word_runs_hide_no_digits(paragraph, found):
    assert found in _found(_docx(paragraph), "附件.docx")


@pytest.mark.parametrize("properties", ['<w:color w:val="FFFFFF"/>', '<w:sz w:val="2"/>'])
def test_white_and_tiny_word_runs_hide_no_digits(properties):
    paragraph = (
        f"<w:r><w:t>联系电话：138</w:t></w:r><w:r><w:rPr>{properties}</w:rPr><w:t>99</w:t></w:r>"
        "<w:r><w:t>00000404</w:t></w:r>"
    )
    assert Found(PHONE, "13800000404") in _found(_docx(paragraph), "附件.docx")


def test_a_visible_run_marked_not_hidden_is_kept():
    paragraph = '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>13800000403</w:t></w:r>'
    assert _found(_docx(paragraph), "附件.docx") == {Found(PHONE, "13800000403")}


def _xlsx(rows: list[list[object]], number_format: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if number_format:
        book.active["B2"].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_numbers_are_read_as_excel_shows_them():
    assert _found(_xlsx([["联系人", "电话"], ["李四", 13800000303.0], ["王五", 13800000304]]), "名单.xlsx") == {
        Found(PHONE, "13800000303"),
        Found(PHONE, "13800000304"),
    }
    book = files._zip(
        {
            "xl/worksheets/sheet1.xml": '<worksheet><sheetData><row r="1"><c r="B3" t="n"><v>1.3800000305E10</v></c>'
            '<c r="C3"/><c r="D3" s="1"><v>1.3800000306E+10</v></c></row></sheetData></worksheet>'
        }
    )
    assert _found(book, "名单.xlsx") == {Found(PHONE, "13800000305"), Found(PHONE, "13800000306")}


@pytest.mark.parametrize("code", ['"1380000"0000', "\\1\\3\\8\\0\\0\\0\\0\\0\\0\\0\\0", '"电话 138"00000000'])
def test_a_number_format_with_literal_digits_is_refused(code):
    with pytest.raises(Unreadable) as raised:
        read("名单.xlsx", _xlsx([["联系人", "电话"], ["张三", 301]], code))
    assert raised.value.reason == f"表格的数字格式「{code}」含有照写的数字，单元格显示的号码与它的值不同"


@pytest.mark.parametrize("code", ["0.00", '#,##0.00"元"', 'yyyy"年"m"月"d"日"', "[$-804]General", "0_);[Red]\\(0\\)"])
def test_ordinary_number_formats_pass(code):
    assert _found(_xlsx([["联系人", "金额"], ["张三", 301]], code), "名单.xlsx") == set()


def test_a_formula_without_a_cached_value_is_refused():
    with pytest.raises(Unreadable) as raised:
        read("名单.xlsx", _xlsx([["联系人", "电话"], ["赵六", '=CONCATENATE("138","0000","0305")']]))
    assert (
        raised.value.reason
        == "工作表「xl/worksheets/sheet1.xml」单元格 B2 的公式没有保存计算结果，无法确认它显示的内容"
    )


def test_a_formula_with_its_cached_value_is_read_by_the_value():
    book = files._zip(
        {
            "xl/worksheets/sheet1.xml": '<worksheet><sheetData><row r="1"><c r="B2"><f>A1*1</f><v>13800000307</v></c>'
            "</row></sheetData></worksheet>"
        }
    )
    assert _found(book, "名单.xlsx") == {Found(PHONE, "13800000307")}


def test_an_opendocument_spreadsheets_numbers_are_read_in_full():
    content = (
        '<office:document-content><table:table-cell office:value-type="float" office:value="1.3800000312E10">'
        "<text:p>1.38E+10</text:p></table:table-cell></office:document-content>"
    )
    book = files._zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": content})
    assert _found(book, "名单.ods") == {Found(PHONE, "13800000312")}


def test_a_run_hidden_by_its_character_style_hides_no_digits():
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}><w:style w:type="character" w:styleId="Ghost">'
        '<w:name w:val="Ghost"/><w:rPr><w:vanish/></w:rPr></w:style></w:styles>'
    )
    paragraph = (
        '<w:r><w:t>联系电话：138</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Ghost"/></w:rPr><w:t>99</w:t></w:r>'
        "<w:r><w:t>00000405</w:t></w:r>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p>{paragraph}</w:p></w:body></w:document>'
    )
    book = files._zip({"word/document.xml": document, "word/styles.xml": styles})
    assert Found(PHONE, "13800000405") in _found(book, "附件.docx")


@pytest.mark.parametrize(
    ("page", "form"),
    [
        ("3 Tr /Fm1 Do 0 Tr", "BT /F2 14 Tf 150 760 Td (99) Tj ET"),  # the form inherits the invisible mode
        ("/Fm1 Do", "BT 3 Tr /F2 14 Tf 150 760 Td (99) Tj ET"),  # the form hides its own digits
    ],
)
def test_hidden_digits_inside_a_form_the_page_draws_hide_nothing(page, form):
    content = f"BT /F1 14 Tf 72 760 Td (Phone: 138) Tj ET {page} BT /F1 14 Tf 200 760 Td (00000313) Tj ET"
    xobject = pdf_stream(
        form, "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F2 5 0 R >> >>"
    )
    pdf = raw_pdf(
        page="/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >>",
        extra=[pdf_stream(content), HELVETICA.format(""), xobject],
    )
    assert Found(PHONE, "13800000313") in _found(pdf, "附件.pdf")
