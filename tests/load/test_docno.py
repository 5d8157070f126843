"""文号 normalisation: the year in 〔〕, ASCII digits, no spaces, no zero-padded serial; the raw value kept."""

import pytest

from gongkai.load import load_county
from gongkai.load.docno import normalise_doc_no

from kit import document, write_county


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("皖政办秘〔2020〕55号", "皖政办秘〔2020〕55号"),
        ("青政办[2024]12号", "青政办〔2024〕12号"),
        ("青政办【2024】12号", "青政办〔2024〕12号"),
        ("青政办(2024)12号", "青政办〔2024〕12号"),
        ("青政办（2024）12号", "青政办〔2024〕12号"),
        ("青政办［2024］12号", "青政办〔2024〕12号"),
        ("青政办﹝2024﹞12号", "青政办〔2024〕12号"),
        ("青政办〖2024〗12号", "青政办〔2024〕12号"),
        ("青政办[2024】12号", "青政办〔2024〕12号"),
        ("青政办〔2024〕012号", "青政办〔2024〕12号"),
        ("青政办〔2024〕0012号", "青政办〔2024〕12号"),
        ("青政办[2024]001号", "青政办〔2024〕1号"),
        ("青政办〔2024〕100号", "青政办〔2024〕100号"),
        ("青政办〔2024〕0号", "青政办〔2024〕0号"),
        ("青政办（２０２４）１２号", "青政办〔2024〕12号"),
        ("青政办〔２０２４〕０１２号", "青政办〔2024〕12号"),
        ("青政办 〔2024〕 12 号", "青政办〔2024〕12号"),
        ("青政办\u3000〔2024〕\u300012号", "青政办〔2024〕12号"),
        (" 青政办[ 2024 ]12号\t", "青政办〔2024〕12号"),
        ("青农〔2025〕3号", "青农〔2025〕3号"),
        ("皖农计函〔2023〕108号", "皖农计函〔2023〕108号"),
        ("青政办秘（2022）5号", "青政办秘〔2022〕5号"),
        ("中共青溪县委办公室[2021]7号", "中共青溪县委办公室〔2021〕7号"),
        ("青政〔2024〕12号（代章）", "青政〔2024〕12号（代章）"),
        ("青政(12)号", "青政(12)号"),
        ("无", "无"),
        (" 无 ", "无"),
        ("", "无"),
        ("\u3000", "无"),
    ],
)
def test_normalise_doc_no(raw, expected):
    assert normalise_doc_no(raw) == expected


def test_loaded_document_keeps_the_raw_doc_no(tmp_path):
    text = document("文件", "11341700MB1714830K/202603-00003").replace("测政办〔2026〕12号", "测政办【2026】012号")
    county = load_county(write_county(tmp_path, {"content/documents/2026/x.md": text}))
    doc = next(d for d in county.documents if d.slug == "documents/2026/x")
    assert (doc.doc_no, doc.doc_no_raw) == ("测政办〔2026〕12号", "测政办【2026】012号")


def test_loaded_document_without_doc_no(tmp_path):
    text = document("文件", "11341700MB1714830K/202603-00003").replace("测政办〔2026〕12号", "无")
    county = load_county(write_county(tmp_path, {"content/documents/2026/x.md": text}))
    doc = next(d for d in county.documents if d.slug == "documents/2026/x")
    assert (doc.doc_no, doc.doc_no_raw) == ("无", "无")
