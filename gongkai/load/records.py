"""Build model records from parsed sources through their ``spec`` declarations, collecting problems."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from ..errors import Problem
from ..model.origin import Origin
from ..model.schema import Spec, specs
from .cache import LoadCache
from .files import rel_path
from .yamlsrc import YList, YMap, parse_yaml

T = TypeVar("T")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LIST_SPLIT = re.compile(r"[、，,;；]\s*")


class _Bad(Exception):
    """A value that cannot be converted; carries the message and the fix."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


def row_map(values: dict[str, Any], line: int) -> YMap:
    """Wrap a table row (CSV or XLSX) so that it loads like a YAML mapping at that row. Every key is on the
    row's line, which ``Origin.line_of`` gives for a key it does not list: the keys' lines are left empty (150 000
    rows a county, each with a mapping of its keys, were a sixth of unpickling them from the load cache)."""
    result = YMap(values)
    result.line, result.lines = line, {}
    return result


def build(cls: type[T], data: Any, path: str, **extra: Any) -> tuple[T | None, list[Problem]]:
    """Build one record of ``cls`` from a mapping; return it (or None) and every problem found."""
    line = getattr(data, "line", None)
    if not isinstance(data, dict):
        return None, [
            Problem(
                path, line, "", f"这里应该是「键: 值」的内容，实际是{_describe(data)}", "请参照使用指南中的示例书写"
            )
        ]
    fields = specs(cls)
    problems = _unknown_keys(data, [s.key for _, s in fields], path)
    values: dict[str, Any] = {}
    lines = getattr(data, "lines", {})
    for name, field_spec in fields:
        raw = data.get(field_spec.key)
        key_line = lines.get(field_spec.key, line)
        if _blank(raw):
            if field_spec.required:
                problems.append(Problem(path, line, field_spec.key, "缺少必填字段", _example(field_spec)))
            continue
        try:
            values[name] = _convert(field_spec, raw, path, problems)
        except _Bad as bad:
            problems.append(Problem(path, key_line, field_spec.key, bad.message, bad.fix))
    if problems:
        return None, problems
    return cls(**values, **extra, origin=Origin(path, line, dict(lines))), []  # type: ignore[call-arg]


def load_record_file(
    cls: type[T], path: Path, root: Path, missing: str = "", cache: LoadCache | None = None, **extra: str
) -> tuple[T | None, list[Problem]]:
    """Build one record from a whole YAML file; a missing file is a problem naming what to create."""
    rel = rel_path(path, root)
    if not path.is_file():
        fix = missing or f"请在 {rel_path(path.parent, root)}/ 中创建 {path.name}"
        return None, [Problem(rel, None, "", "缺少这个文件", fix)]
    given = [f"{name}={value}" for name, value in sorted(extra.items())]
    parse = functools.partial(_record_from_text, cls, rel, extra)
    return (cache or LoadCache(None)).parse(cls.__name__, path, rel, parse, *given)


def _record_from_text(cls: type[T], rel: str, extra: dict[str, str], text: str) -> tuple[T | None, list[Problem]]:
    data, problems = parse_yaml(text, rel)
    if problems:
        return None, problems
    return build(cls, data, rel, **extra)


def _unknown_keys(data: dict[str, Any], known: list[str], path: str) -> list[Problem]:
    problems = []
    lines = getattr(data, "lines", {})
    for key in data:
        if key in known:
            continue
        guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.3)
        fix = f"如果想写「{guess[0]}」，请改正。" if guess else "请删除或改正。"
        problems.append(
            Problem(path, lines.get(key), str(key), f"未知的键「{key}」", fix + "可用的键：" + "、".join(known))
        )
    return problems


def _convert(field_spec: Spec, raw: Any, path: str, problems: list[Problem]) -> Any:
    kind = field_spec.kind
    if kind == "records":
        return _records(field_spec, raw, path, problems)
    if kind == "record":
        return _record(field_spec, raw, path, problems)
    if kind == "list":
        items = tuple(_text(item) for item in _as_list(raw))
        for item in items:
            _choose(field_spec, item)
        return items
    if kind == "dates":
        return tuple(_date(item) for item in _as_list(raw))
    if kind == "choice":
        return _choose(field_spec, _text(raw))
    value = _SCALARS[kind](raw)
    if field_spec.pattern and not re.fullmatch(field_spec.pattern, str(value)):
        raise _Bad(f"「{value}」格式不对：{field_spec.pattern_doc}", f"例如 {field_spec.key}: {field_spec.example}")
    return value


def _records(field_spec: Spec, raw: Any, path: str, problems: list[Problem]) -> tuple[Any, ...]:
    if not isinstance(raw, list):
        raise _Bad(f"应为列表（每项以「- 」开头），实际是{_describe(raw)}", _example(field_spec))
    assert field_spec.record is not None
    built: list[Any] = []
    shorthand = getattr(field_spec.record, "SHORTHAND", None)  # a record that may be written as one value
    for item in raw:
        if shorthand and isinstance(item, str | int | float):
            item = {shorthand: str(item)}
        record, item_problems = build(field_spec.record, item, path)
        problems.extend(item_problems)
        built.append(record)
    return tuple(built)


def _record(field_spec: Spec, raw: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(raw, dict):
        raise _Bad(f"应为「键: 值」的内容（下一行起缩进书写），实际是{_describe(raw)}", _example(field_spec))
    assert field_spec.record is not None
    record, found = build(field_spec.record, raw, path)
    problems.extend(found)
    return record


def _choose(field_spec: Spec, value: str) -> str:
    if field_spec.choices and value not in field_spec.choices:
        guess = difflib.get_close_matches(value, field_spec.choices, n=1, cutoff=0.3)
        hint = f"是不是「{guess[0]}」？" if guess else ""
        raise _Bad(f"「{value}」不在可选值中", hint + "可选值：" + "、".join(field_spec.choices))
    return value


def _as_list(raw: Any) -> list[Any]:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, str):
        return [part for part in _LIST_SPLIT.split(raw.strip()) if part]
    return [raw]


def _text(raw: Any) -> str:
    if isinstance(raw, (bool, dict | list)):
        raise _Bad(f"应为文字，实际是{_describe(raw)}", "请直接写文字；含冒号等符号时加引号")
    return str(raw).strip()


def _date(raw: Any) -> dt.date:
    text = _text(raw)
    if not _DATE.match(text):
        raise _Bad(f"日期「{text}」格式不对", "应写成 YYYY-MM-DD，例如 2025-03-05")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"日期「{text}」不存在", "请写真实存在的日期，格式 YYYY-MM-DD") from None


def _int(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = _text(raw)
    if not text.isdigit():
        raise _Bad(f"「{text}」不是整数", "应写阿拉伯数字，例如 2025")
    return int(text)


def parse_number(raw: Any) -> Decimal:
    """A decimal from a cell: accepts thousands separators and a trailing 「元」."""
    text = _text(raw).replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad(f"「{text}」不是数字", "应写数字，例如 572.50") from None
    if not number.is_finite():
        raise _Bad(f"「{text}」不是数字", "应写数字，例如 572.50")
    return number


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw)
    if text in ("是", "否"):
        return text == "是"
    raise _Bad(f"「{text}」应为「是」或「否」", "请写「是」或「否」")


def _path(raw: Any) -> str:
    text = _text(raw)
    if text.startswith(("/", "\\")) or ".." in text.replace("\\", "/").split("/") or ":" in text:
        raise _Bad(f"路径「{text}」不在本目录内", "应写同一目录下的文件名，例如 2025-gdlb.csv")
    return text


# An absolute web address and nothing else: scheme, host, optional port and path (no user, query or fragment).
_WEB_URL = re.compile(r"^https?://[^\W_](?:[\w.-]*[^\W_])?(?::\d{1,5})?(?:/[^\s?#\\\"'<>`\x00-\x1f\x7f]*)?\Z", re.I)


def _url(raw: Any) -> str:
    text = _text(raw)
    if not _WEB_URL.match(text):
        raise _Bad(
            f"「{text}」不是网站地址", "应写以 https:// 或 http:// 开头的完整网址，例如 https://www.qingxi.example.cn/"
        )
    return text


_SCALARS = {
    "text": _text,
    "date": _date,
    "int": _int,
    "number": parse_number,
    "bool": _bool,
    "path": _path,
    "url": _url,
}


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "键值对"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空"
    return f"「{value}」"


def _example(field_spec: Spec) -> str:
    example = f"例如 {field_spec.key}: {field_spec.example}" if field_spec.example else ""
    return f"请填写：{field_spec.doc}{example}"


__all__ = ["YList", "YMap", "build", "load_record_file", "parse_number", "row_map"]
