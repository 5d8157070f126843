"""How a model field is declared once: its Chinese source key, its kind and its documentation.

Loaders read sources through these declarations and the 使用指南 field reference is generated
from them, so the documentation cannot drift from what the loader accepts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

# Kinds the loader knows how to convert and check.
KINDS = ("text", "date", "dates", "int", "number", "bool", "list", "choice", "record", "records", "path", "url")

CODE = r"[a-z0-9][a-z0-9-]{0,39}"
"""A code that becomes part of a URL and a file path: lower-case letters, digits and hyphens."""
CODE_DOC = "只能用小写英文字母、数字和「-」（以字母或数字开头，最多 40 个字符）"

SLUG = r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff_-]{0,79}"
"""A file or folder name (without extension) that becomes part of a URL: a document's, a payout list's."""
SLUG_DOC = "文件名和目录名只能用英文字母、数字、汉字、「-」和「_」（不能以「-」「_」开头，不含空格和「.」）"


@dataclass(frozen=True)
class Spec:
    """The declaration of one source field."""

    key: str
    """The key clerks write in the source file, in Chinese."""
    doc: str
    """One sentence for the 使用指南, in Chinese."""
    kind: str = "text"
    required: bool = True
    example: str = ""
    choices: tuple[str, ...] = ()
    record: type | None = None
    """For kinds ``record`` and ``records``: the dataclass of the nested mapping or of each item."""
    pattern: str = ""
    """For text: a regular expression the whole value must match (codes that become URLs)."""
    pattern_doc: str = ""
    """What ``pattern`` allows, in Chinese, for the error message and the 使用指南."""


def spec(
    key: str,
    doc: str,
    *,
    kind: str = "text",
    required: bool = True,
    example: str = "",
    choices: tuple[str, ...] = (),
    record: type | None = None,
    pattern: str = "",
    pattern_doc: str = "",
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
) -> Any:
    """Declare a dataclass field that is read from a source key."""
    assert kind in KINDS, kind
    meta = {"spec": Spec(key, doc, kind, required, example, choices, record, pattern, pattern_doc)}
    if default is not dataclasses.MISSING:
        return field(default=default, metadata=meta)
    if default_factory is not dataclasses.MISSING:
        return field(default_factory=default_factory, metadata=meta)
    if not required:
        return field(default=None, metadata=meta)
    return field(metadata=meta)


def specs(cls: type) -> list[tuple[str, Spec]]:
    """The (attribute name, spec) pairs of a record class, in declaration order."""
    return [(f.name, f.metadata["spec"]) for f in dataclasses.fields(cls) if "spec" in f.metadata]
