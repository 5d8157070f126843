"""YAML that keeps line numbers, refuses duplicate keys and alias bombs, and leaves dates as text."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Problem

MAX_NODES = 200_000  # far above any real source; stops "billion laughs" alias expansion
_STANDARD = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
)
"""The tags plain YAML resolves to; any other (``!!python/…``, ``!ENV``) is refused, never constructed."""


class YMap(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    lines: dict[str, int]


class YList(list[Any]):
    """A sequence that remembers its own line and the line of each item."""

    line: int = 0
    lines: list[int]


class _Converter:
    """Turn a composed node tree into plain values, recording problems instead of raising."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.count = 0
        self.scalars = yaml.SafeLoader("")

    def value(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if node.tag not in _STANDARD:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            line = node.start_mark.line + 1
            self.problems.append(Problem(self.path, line, "", f"不支持 YAML 标签「{tag}」", "删除这个标签，直接写值"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        if isinstance(node, yaml.SequenceNode):
            seq = YList(self.value(item) for item in node.value)
            seq.line, seq.lines = node.start_mark.line + 1, [i.start_mark.line + 1 for i in node.value]
            return seq
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:str"):
            return node.value  # dates are checked by the record loader, with a clear message
        if node.tag in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:null",
        ):
            return self.scalars.construct_object(node)
        return node.value

    def mapping(self, node: yaml.MappingNode) -> YMap:
        result = YMap()
        result.line, result.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(
                        self.path, key_node.start_mark.line + 1, "<<", "不支持 YAML 合并键「<<」", "把内容直接写出来"
                    )
                )
                continue
            key = str(self.scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
            line = key_node.start_mark.line + 1
            if key in result:
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        key,
                        f"键「{key}」重复（第一次出现在第 {result.lines[key]} 行）",
                        "每个键只写一次，删除多余的一个",
                    )
                )
                continue
            result[key], result.lines[key] = self.value(value_node), line
        return result


class _TooLarge(Exception):
    pass


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return its value (YMap/YList/scalar) and the problems found."""
    offset = first_line - 1
    try:
        node = _compose(text)
    except RecursionError:
        return None, [_too_deep(path)]
    except yaml.MarkedYAMLError as err:
        opened = err.context_mark if (err.context or "").startswith(_UNCLOSED) else None
        mark = opened or err.problem_mark or err.context_mark
        line = mark.line + 1 + offset if mark else None
        explained = f"YAML 格式错误：{_explain(err)}"
        if opened is not None:
            closing = _CLOSING.get(err.context or "") or _quote_at(text, opened)
            opening = {"]": "[", "}": "{"}.get(closing)
            fix = f"在这个值的末尾补上「{closing}」" + (
                f"；如果「{opening}」是值里的文字，把整个值放在引号里" if opening else f"，或去掉值开头的「{closing}」"
            )
            return None, [Problem(path, line, _key_at(text, opened), explained, fix)]
        return None, [Problem(path, line, "", explained, _fix_hint(text, mark))]
    except yaml.YAMLError as err:
        return None, [Problem(path, None, "", f"YAML 格式错误：{err}", "检查缩进和冒号")]
    if node is None:
        return None, []
    converter = _Converter(path)
    try:
        value = converter.value(node)
    except RecursionError:
        return None, [_too_deep(path)]
    except _TooLarge:
        return None, [Problem(path, None, "", "YAML 内容过大或含有层层展开的别名（&/*）", "不要用别名，直接写出内容")]
    if offset:
        _shift(value, offset)
        converter.problems = [
            Problem(p.path, (p.line or 0) + offset, p.field, p.message, p.fix) for p in converter.problems
        ]
    return value, converter.problems


FAST_NESTING = 200
"""Texts nested deeper than this (in brackets or in indentation) are left to PyYAML's own parser, whose
recursion Python bounds; libyaml's composer recurses in C."""


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, by libyaml where PyYAML was built with it (10× faster at county scale).

    libyaml is more lenient than PyYAML's own parser in places (a tab where YAML forbids one), so it reads
    only texts without tabs and without deep nesting; those, and every text libyaml refuses, are read by
    PyYAML's own parser, whose error messages ``_explain`` knows."""
    fast = fast_loader(text)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def fast_loader(text: str) -> type[yaml.CSafeLoader] | None:
    """libyaml's loader when it may read ``text`` (``_compose``: PyYAML built with it, no tab, no deep nesting);
    None when only PyYAML's own parser may. guard/readers/text.py reads YAML numbers by the same rule, so that
    it sees the tokens the build's records were made of."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None or "\t" in text:
        return None
    if text.count("[") + text.count("{") >= FAST_NESTING or re.search(rf"^ {{{FAST_NESTING},}}", text, re.M):
        return None
    return fast


def _too_deep(path: str) -> Problem:
    return Problem(
        path,
        None,
        "",
        "YAML 的嵌套层数太多（列表或键值套了几百层）",
        "源文件只需要两三层缩进，请检查是否误粘贴了其他内容",
    )


def _shift(value: Any, offset: int) -> None:
    """Move every recorded line by offset (front matter starts below the file's first line)."""
    if isinstance(value, YMap):
        value.line += offset
        value.lines = {k: v + offset for k, v in value.lines.items()}
        for item in value.values():
            _shift(item, offset)
    elif isinstance(value, YList):
        value.line += offset
        value.lines = [v + offset for v in value.lines]
        for item in value:
            _shift(item, offset)


_PROBLEMS = {
    "found character '\\t' that cannot start any token": "用了制表符（Tab）",
    "mapping values are not allowed here": "这里不能出现冒号，可能是缩进不对或值里有「: 」",
    "could not find expected ':'": "缺少冒号「:」",
    "found undefined alias": "引用了不存在的别名",
    "expected <block end>, but found '-'": "列表的「-」缩进不对",
    "expected ',' or ']'": "方括号「[」没有配对的「]」",
    "expected ',' or '}'": "花括号「{」没有配对的「}」",
    "found unexpected end of stream": "引号没有闭合",
}


def _explain(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or ""
    for english, chinese in _PROBLEMS.items():
        if english in problem:
            return chinese
    return problem or "无法解析"


_UNCLOSED = ("while parsing a flow sequence", "while parsing a flow mapping", "while scanning a quoted scalar")
"""Errors found after the line where a bracket or quote was opened and not closed: they are reported at the
opening (the clerk's mistake), not where the parser gave up (the next key's line)."""
_CLOSING = {"while parsing a flow sequence": "]", "while parsing a flow mapping": "}"}
_KEY = re.compile(r"\s*(?:-\s+)?(?:\{\s*)?([^\s#:\-\[\]{}\"'][^:#,]*?)\s*:(?:\s|$)")


def _quote_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    quote = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
    return quote if quote in ("'", '"') else '"'


def _key_at(text: str, mark: Any) -> str:
    """The key written on the error's line (its field), or ''."""
    lines = text.splitlines()
    found = _KEY.match(lines[mark.line]) if mark is not None and mark.line < len(lines) else None
    return found.group(1) if found else ""


def _fix_hint(text: str, mark: Any) -> str:
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        return "用空格缩进，不要用 Tab"
    return "按「键: 值」书写，同级的键左侧对齐，用空格缩进"
