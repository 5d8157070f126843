"""Edits of YAML sources as text, so that every byte the clerk wrote stays: front matter keys of a
document set or removed, bodies added to county.yml's 发布机构 or given their code, numbers added to
public-numbers.yml."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from .agencies import NewAgency

_NO_WRAP = 1 << 30  # yaml folds long titles otherwise
_FENCES = ("---", "...")
_TOP_KEY = re.compile(r"^([^\s#-][^:]*):")


def yaml_value(value: Any) -> str:
    """A value as one line of YAML that reads back unchanged: dates ISO, lists in flow style."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return yaml.safe_dump(list(value), allow_unicode=True, default_flow_style=True, width=_NO_WRAP).strip()
    dumped = yaml.safe_dump(value, allow_unicode=True, width=_NO_WRAP)
    return dumped.removesuffix("\n...\n").strip()


def set_keys(source: str, values: Mapping[str, str | None]) -> str:
    """The document with each front matter ``key: value`` line replaced (or added before the closing
    fence, or removed for None); other lines, and the body, unchanged."""
    lines = source.split("\n")
    end = next((n for n, line in enumerate(lines[1:], start=1) if line.strip() in _FENCES), len(lines))
    for key, value in values.items():
        start = next((n for n in range(1, end) if _TOP_KEY.match(lines[n]) and _key(lines[n]) == key), None)
        if start is None:
            if value is not None:
                lines.insert(end, f"{key}: {value}")
                end += 1
            continue
        stop = start + 1
        while stop < end and lines[stop][:1] in (" ", "\t"):
            stop += 1
        new = [f"{key}: {value}"] if value is not None else []
        lines[start:stop] = new
        end += len(new) - (stop - start)
    return "\n".join(lines)


def _key(line: str) -> str:
    match = _TOP_KEY.match(line)
    return match.group(1).strip() if match else ""


def add_agencies(text: str, agencies: Iterable[NewAgency]) -> str:
    """county.yml with new bodies appended to its 发布机构 list, in the list's own indentation."""
    lines = text.split("\n")
    start = next((n for n, line in enumerate(lines) if _key(line) == "发布机构"), None)
    if start is None:
        return text.rstrip("\n") + "\n发布机构:\n" + "".join(_agency_lines(a, "  ") for a in agencies)
    last = start
    for n in range(start + 1, len(lines)):
        if lines[n].strip() == "" or lines[n].lstrip().startswith("#"):
            continue
        if lines[n][:1] not in (" ", "-", "\t"):
            break
        last = n
    item = next((line for line in lines[start + 1 : last + 1] if line.lstrip().startswith("- ")), "  - ")
    indent = item[: len(item) - len(item.lstrip())]
    added = "".join(_agency_lines(a, indent) for a in agencies).rstrip("\n").split("\n")
    return "\n".join([*lines[: last + 1], *added, *lines[last + 1 :]])


def _agency_lines(agency: NewAgency, indent: str) -> str:
    inner = indent + "  "
    text = f"{indent}- 名称: {yaml_value(agency.name)}\n"
    if agency.short:
        text += f"{inner}简称: {yaml_value(agency.short)}\n"
    if agency.aliases:
        text += f"{inner}别名: {yaml_value(agency.aliases)}\n"
    code = yaml_value(agency.credit_code) if agency.credit_code else ""
    return text + f"{inner}统一社会信用代码: {code}\n".replace(": \n", ":\n")


def drop_agencies(text: str, names: Iterable[str]) -> str:
    """county.yml without the 发布机构 items of the named bodies (each item: its ``- 名称:`` line and the
    lines indented under it)."""
    lines = text.split("\n")
    for name in names:
        found = _item(lines, name)
        if found is not None:
            del lines[found[0] : found[1]]
    return "\n".join(lines)


def _item(lines: list[str], name: str) -> tuple[int, int] | None:
    """(first, past the last) line of the body's ``- 名称: name`` item."""
    for at, line in enumerate(lines):
        match = re.fullmatch(r"\s*- 名称:\s*(.*?)\s*", line)
        if match and _scalar(match.group(1)) == name:
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            stop = at + 1
            while stop < len(lines) and lines[stop].startswith(indent) and not lines[stop].lstrip().startswith("- "):
                stop += 1
            return at, stop
    return None


def _scalar(text: str) -> str:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return str(value) if value is not None else ""


def fill_codes(text: str, codes: Mapping[str, str]) -> str:
    """county.yml with the 统一社会信用代码 of the named bodies written where it was empty or missing."""
    lines = text.split("\n")
    for name, code in codes.items():
        found = _item(lines, name)
        if found is None:
            continue
        at, stop = found
        indent = " " * (len(lines[at]) - len(lines[at].lstrip()) + 2)
        value = f"{indent}统一社会信用代码: {yaml_value(code)}"
        existing = next((n for n in range(at + 1, stop) if lines[n].strip().startswith("统一社会信用代码:")), None)
        if existing is None:
            lines.insert(stop, value)
        else:
            lines[existing] = value
    return "\n".join(lines)


def add_public_numbers(text: str | None, entries: Iterable[tuple[str, list[str], str, bool]]) -> str:
    """public-numbers.yml with (number as written, places, reason, override) entries appended under 公开号码."""
    block = ""
    for number, places, reason, override in entries:
        block += f"  - 号码: {json.dumps(number, ensure_ascii=False)}\n"
        block += f"    位置: {yaml_value(places)}\n    理由: {yaml_value(reason)}\n"
        block += "    覆盖: 是\n" if override else ""
    if not text:
        return "# 依法公开、但形如个人号码的号码（见使用指南「个人信息保护和内容安全」）\n公开号码:\n" + block
    lines = text.rstrip("\n").split("\n")
    start = next((n for n, line in enumerate(lines) if _key(line) == "公开号码"), None)
    if start is None:
        return "\n".join(lines) + "\n公开号码:\n" + block
    last = start
    for n in range(start + 1, len(lines)):
        if lines[n].strip() and lines[n][:1] not in (" ", "-", "\t", "#"):
            break
        if lines[n].strip():
            last = n
    return "\n".join([*lines[: last + 1], *block.rstrip("\n").split("\n"), *lines[last + 1 :]]) + "\n"
