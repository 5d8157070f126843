"""County.yml's 依申请公开 record: required fields, exact messages."""

from __future__ import annotations

import pytest

from gongkai.errors import SourceErrors
from gongkai.load import load_county

from kit import COUNTY_YML, write_county

OFFICE = """依申请公开:
  受理机构: 测试县人民政府办公室
  地址: 测试县城关镇人民路 1 号
  邮政编码: "247100"
  受理时间: 工作日 8:30-12:00，14:30-17:30
  电话: 0550-7011234
"""


def _errors(tmp_path, county_yml: str) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_county(write_county(tmp_path, {"county.yml": county_yml}))
    return [str(p) for p in caught.value.problems]


def test_the_record_is_required(tmp_path):
    assert _errors(tmp_path, COUNTY_YML.replace(OFFICE, "")) == [
        "county.yml 第 1 行，字段「依申请公开」：缺少必填字段。请填写：受理政府信息公开申请的机构和联系方式（下一行起缩进书写各项）。"
    ]


def test_missing_fields_name_the_line_of_the_record(tmp_path):
    broken = COUNTY_YML.replace("  地址: 测试县城关镇人民路 1 号\n", "").replace("  电话: 0550-7011234\n", "")
    assert _errors(tmp_path, broken) == [
        "county.yml 第 21 行，字段「地址」：缺少必填字段。请填写：受理机构的办公地址（当面申请、邮寄申请）。"
        "例如 地址: 青溪县城关镇人民路1号县政务中心3楼。",
        "county.yml 第 21 行，字段「电话」：缺少必填字段。请填写：咨询电话。例如 电话: 0550-7073558。",
    ]


def test_a_value_instead_of_the_record(tmp_path):
    assert _errors(tmp_path, COUNTY_YML.replace(OFFICE, "依申请公开: 县政府办\n")) == [
        "county.yml 第 20 行，字段「依申请公开」：应为「键: 值」的内容（下一行起缩进书写），实际是「县政府办」。"
        "请填写：受理政府信息公开申请的机构和联系方式（下一行起缩进书写各项）。"
    ]


def test_optional_channels_are_kept(tmp_path):
    county_yml = COUNTY_YML.replace(OFFICE, OFFICE + "  传真: 0550-7011235\n  电子邮箱: ysq@ceshi.example.cn\n")
    office = load_county(write_county(tmp_path, {"county.yml": county_yml})).config.application
    assert office is not None and (office.fax, office.email, office.fees) == (
        "0550-7011235",
        "ysq@ceshi.example.cn",
        None,
    )
