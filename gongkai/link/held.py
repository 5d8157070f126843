"""Documents held back from the public site: what nobody has decided yet never reaches it silently.

A document is held back, with a warning from ``check`` (``--strict`` makes it fatal), while its 领域 or
组配分类 is 「待定」 (an import could not place it), while it has no 索引号 because its 发布机构 has no
统一社会信用代码 yet, or while the document it interprets is held back. A document without 索引号 whose
agency has a code is an error instead: ``gongkai index assign`` gives it one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..model import County, Document
from ..model.document import PENDING
from ..model.memo import remembered


@dataclass(frozen=True)
class Hold:
    """Why a document is held back: the source key, the message and the fix, in Chinese."""

    key: str
    message: str
    fix: str


def holds(county: County) -> dict[str, Hold]:
    """Source path → why the document is held back, for every document held back (found once per county: the
    check and the build's ``publishable`` both ask)."""
    return dict(remembered(county, "holds", lambda: _holds(county)))


def _holds(county: County) -> dict[str, Hold]:
    held = {doc.origin.path: hold for doc in county.documents if (hold := _own_hold(county, doc))}
    if not held:  # (no policy held back, so no 解读 waits)
        return held
    by_reference = _by_reference(county.documents)
    for doc in county.documents:  # a 解读 waits for its policy (one level: a policy is no 解读)
        if not doc.interprets:
            continue
        policy = by_reference.get(doc.interprets)
        if doc.origin.path not in held and policy is not None and policy.origin.path in held:
            held[doc.origin.path] = Hold(
                "解读对象",
                f"所解读的文件（{policy.origin.path}）暂不发布，本解读也暂不发布",
                "该文件发布后本解读随之发布",
            )
    return held


def publishable(county: County) -> County:
    """The county as the public site shows it: without the documents held back."""
    held = holds(county)
    if not held:
        return county
    return dataclasses.replace(county, documents=tuple(d for d in county.documents if d.origin.path not in held))


def _own_hold(county: County, doc: Document) -> Hold | None:
    if doc.domain == PENDING:
        return Hold("领域", "领域待定，本文件暂不发布", "请改为 catalog/domains.yml 中的一个领域（代码或名称）")
    if doc.kind == PENDING:
        return Hold("组配分类", "组配分类待定，本文件暂不发布", "可选：" + "、".join(county.config.kinds))
    if doc.index_no:
        return None
    agency = county.config.agency(doc.agency)
    if agency is not None and not agency.credit_code:
        return Hold(
            "索引号",
            f"发布机构「{agency.name}」还没有统一社会信用代码，本文件的索引号待分配，暂不发布",
            "请在 county.yml 的该机构下填写「统一社会信用代码」，再运行 gongkai index assign",
        )
    return None


def _by_reference(documents: tuple[Document, ...]) -> dict[str, Document]:
    found = {f"《{d.title}》": d for d in documents}
    found.update({d.index_no: d for d in documents if d.index_no})
    return found
