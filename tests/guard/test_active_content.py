"""Active content is refused where the readers open a file: PDF scripts, actions that launch or play,
embedded files, rich media, Office macros — for `check` (located by file) and the publish guard."""

from __future__ import annotations

import files
import pytest
from files import raw_pdf

from gongkai.guard.readers import ACTIVE_FIX, Active, read
from gongkai.guard.sources import scan_sources

from kit import write_county

JS = "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


@pytest.mark.parametrize(
    ("pdf", "what"),
    [
        (raw_pdf(catalog=f"/OpenAction {JS}"), "PDF 中的JavaScript 脚本"),
        (raw_pdf(catalog="/OpenAction 4 0 R", extra=[JS]), "PDF 中的JavaScript 脚本"),
        (raw_pdf(page=f"/AA << /O {JS} >>"), "PDF 中的JavaScript 脚本"),
        (raw_pdf(catalog="/OpenAction << /S /J#61vaScript /J#53 (x) >>"), "PDF 中的JavaScript 脚本"),
        (raw_pdf(catalog="/Names << /JavaScript 4 0 R >>", extra=["<< /Names [(a) 5 0 R] >>", JS]), None),
        (raw_pdf(catalog="/OpenAction << /S /Launch /F (cmd.exe) >>"), "PDF 中的启动外部程序的动作"),
        (
            raw_pdf(catalog="/Names << /EmbeddedFiles 4 0 R >>", extra=["<< /Names [(a.exe) 5 0 R] >>", "<< >>"]),
            "PDF 中的嵌入的文件",
        ),
        (
            raw_pdf(page="/Annots [4 0 R]", extra=["<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>"]),
            "PDF 中的富媒体（Flash、视频）",
        ),
        (
            raw_pdf(page="/Annots [4 0 R]", extra=["<< /Type /Annot /Subtype /FileAttachment /FS 5 0 R >>", "<< >>"]),
            "PDF 中的嵌入文件的批注",
        ),
        (raw_pdf(catalog="/AcroForm << /Fields [] /XFA 4 0 R >>", extra=["<< >>"]), "PDF 中的XFA 动态表单（可含脚本）"),
    ],
)
def test_active_pdfs_are_refused(pdf, what):
    with pytest.raises(Active) as raised:
        read("附件.pdf", pdf)
    if what:
        assert raised.value.reason == f"附件含有脚本或嵌入文件（{what}）"
    assert raised.value.fix == ACTIVE_FIX


def test_a_plain_pdf_with_links_and_an_open_destination_passes():
    pdf = raw_pdf(
        catalog="/OpenAction [3 0 R /Fit]",
        page="/Annots [4 0 R]",
        extra=["<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://www.example.cn/) >> >>"],
    )
    assert read("附件.pdf", pdf).parts


def _macro_ole() -> bytes:
    data = files.ole({"WordDocument": "通知".encode("utf-16-le"), "Macros": b"x"})
    at = data.index("Macros".encode("utf-16-le"))
    return data[: at + 0x42] + b"\x01" + data[at + 0x43 :]  # Macros is a storage, as Word writes it


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        (
            "附件.docx",
            files._zip({"word/document.xml": "<w:document/>", "word/vbaProject.bin": b"x"}),
            "Office 宏（VBA）",
        ),
        ("附件.xlsm", files._zip({"xl/workbook.xml": "<workbook/>", "xl/vbaProject.bin": b"x"}), "Office 宏（VBA）"),
        (
            "附件.docx",
            files._zip(
                {
                    "[Content_Types].xml": '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
                    "word/document.xml": "<w:document/>",
                }
            ),
            "Office 宏（启用宏的文档类型）",
        ),
        ("附件.docx", files._zip({"word/activeX/activeX1.xml": "<ax/>"}), "ActiveX 控件"),
        (
            "附件.odt",
            files._zip({"content.xml": "<a/>", "Basic/Standard/Module1.xml": "<m/>"}),
            "OpenDocument 宏或脚本",
        ),
        ("附件.doc", _macro_ole(), "Office 宏（VBA）"),
        ("附件.xls", files.ole({"Workbook": b"x", "_VBA_PROJECT": b"x"}), "Office 宏（VBA）"),
    ],
)
def test_office_macros_are_refused(name, data, what):
    with pytest.raises(Active) as raised:
        read(name, data)
    assert raised.value.reason == f"附件含有脚本或嵌入文件（{what}）"


def test_check_names_the_file_with_active_content(tmp_path):
    pdf = raw_pdf(catalog=f"/OpenAction {JS}")
    root = write_county(tmp_path, {"content/documents/2026/附件.pdf": pdf})
    problems = [p for p in scan_sources(root, None) if "脚本" in p.message]
    assert [(p.path, p.line, p.message, p.fix) for p in problems] == [
        (
            "content/documents/2026/附件.pdf",
            None,
            "附件含有脚本或嵌入文件（PDF 中的JavaScript 脚本）",
            ACTIVE_FIX,
        )
    ]


def test_the_publish_guard_refuses_active_content(tmp_path):
    from gongkai.guard import describe, scan_site

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "附件.pdf").write_bytes(raw_pdf(catalog=f"/OpenAction {JS}"))
    scanned = scan_site(tmp_path, frozenset())
    assert describe(scanned, {}, "site").splitlines()[0] == (
        f"site/a/附件.pdf：附件含有脚本或嵌入文件（PDF 中的JavaScript 脚本）。{ACTIVE_FIX}。"
    )
