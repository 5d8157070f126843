"""Attachments: files beside a document (PDF, Word, Excel, images), resolved and measured on load."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath

from ..errors import Problem
from ..model import Document
from ..model.content import DOCUMENT_FILES
from ..model.document import Attachment, AttachmentEntry
from .tree import hidden, hidden_fix

KINDS = DOCUMENT_FILES  # an attachment is any file content/ may publish besides pages
KEY = "附件"


def resolve_attachments(doc: Document, source: Path, root: Path) -> tuple[Document, list[Problem]]:
    """The document with its attachments measured; a missing or escaping file is a problem."""
    found, problems = [], []
    for entry in doc.attachments:
        attachment, problem = _resolve(entry, source.parent, root, doc)
        if problem:
            problems.append(problem)
        elif attachment:
            found.append(attachment)
    return replace(doc, files=tuple(found)), problems


def _resolve(
    entry: AttachmentEntry, folder: Path, root: Path, doc: Document
) -> tuple[Attachment | None, Problem | None]:
    name, line = entry.file, doc.origin.line_of(KEY)
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or ":" in name:
        return None, Problem(
            doc.origin.path,
            line,
            KEY,
            f"附件「{name}」不在文件所在目录内",
            "附件放在文件旁边（同一目录或其子目录），这里只写文件名",
        )
    if hidden(pure.as_posix()):
        return None, Problem(doc.origin.path, line, KEY, f"附件「{name}」是隐藏文件，不会发布", hidden_fix(name))
    kind = KINDS.get(pure.suffix.lower())
    if kind is None:
        return None, Problem(
            doc.origin.path, line, KEY, f"附件「{name}」的类型不支持", "可用：" + "、".join(sorted(set(KINDS)))
        )
    path = folder / pure
    if not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
        return None, Problem(
            doc.origin.path,
            line,
            KEY,
            f"找不到附件「{name}」",
            f"请把附件放到 {path.parent.relative_to(root).as_posix()}/ 中，或改正文件名",
        )
    source = path.relative_to(root).as_posix()
    size = path.stat().st_size
    return Attachment(name=pure.as_posix(), title=entry.title or pure.stem, kind=kind, size=size, source=source), None
