"""Each row's guesses, with their reasons: bodies, 组配分类 and 领域, personal numbers, the policy of a 解读."""

from __future__ import annotations

from ..guard.finder import ID
from ..load.legacy import Draft
from ..model import Domain
from ..model.document import CONSULTATION_KIND, INTERPRETATION_KIND, PENDING
from ..render.data.feeds import plain_text
from .agencies import SPLIT
from .domains import Evidence
from .interprets import INTERPRETATION_TITLE, Candidate, find_policy
from .kinds import guess_kind
from .numbers import PUBLIC, Spot, find_spots
from .state import NUMBER_COLUMNS, Context, Planned


def decide_agencies(context: Context, planned: Planned) -> None:
    line, cell = planned.line, planned.draft.cells["发布机构"]
    reviewed = context.review.documents.get(planned.draft.row)
    if reviewed and reviewed.agency:
        names = [reviewed.agency, *_list(reviewed.co_issuers)]
        for part in SPLIT.split(cell.strip()):  # a spelling remapped on the 发布机构 sheet moves its rows
            before, chosen = context.renames.get(part, (None, None))
            names = [chosen if name == before and chosen else name for name in names]
        names = list(dict.fromkeys(names))
        context.resolver.note(cell)
        planned.agencies = tuple(context.resolver.resolve(" ".join(names), planned.draft.row).names)
        line.agency_reason = "核对表"
    else:
        guess = context.resolver.resolve(cell, planned.draft.row)
        planned.agencies, line.agency_reason = guess.names, guess.reason


def _list(text: str) -> list[str]:
    return [part for part in text.replace("，", "、").replace(",", "、").split("、") if part.strip()]


def decide_kind_and_domain(context: Context, planned: Planned) -> None:
    draft, line = planned.draft, planned.line
    reviewed = context.review.documents.get(draft.row)
    if reviewed and reviewed.kind:
        planned.kind, line.kind_reason = reviewed.kind, reviewed.kind_reason or "核对表"
    elif draft.cells["解读对象"]:
        planned.kind, line.kind_reason = INTERPRETATION_KIND, "导出表写了解读对象"
    else:
        guess = guess_kind(draft.cells["组配分类"], draft.title, context.config.kinds, context.kind_table)
        planned.kind, line.kind_reason = guess.kind, guess.reason
    if planned.kind == CONSULTATION_KIND and not (reviewed and reviewed.kind) and not _consult_dates(draft):
        planned.kind = PENDING
        line.kind_reason = (f"{line.kind_reason}；意见征集要有征集开始、征集结束日期，导出表没有："
                            f"请在文件中写上这两个日期，再把组配分类改为「{CONSULTATION_KIND}」")  # fmt: skip
    if reviewed and reviewed.domain:
        found = _domain(context, reviewed.domain)
        planned.domain, line.domain_reason = (found.name if found else PENDING), reviewed.domain_reason or "核对表"
        return
    given = _domain(context, draft.cells["领域"]) if draft.cells["领域"] else None
    if given:
        planned.domain, line.domain_reason = given.name, "导出表的领域列"
        return
    column = " ".join(c for c in (draft.cells["栏目"], draft.cells["组配分类"]) if c)
    evidence = Evidence(draft.title, column, str(draft.fields.get("subject", "")), plain_text(draft.fields["body"]),
                        (*planned.agencies, draft.cells["发布机构"]))  # fmt: skip
    inferred = context.inference.guess(evidence)
    planned.domain = inferred.domain.name if inferred.domain else PENDING
    line.domain_reason = inferred.reason if inferred.domain else f"无法判断：{inferred.reason}"


def _given_policy(
    given: str, candidates: list[Candidate], context: Context, documents: list[Planned]
) -> tuple[str | None, str]:
    """The policy a written 解读对象 names (《标题》 or 索引号): its key (or the 索引号 itself) and why; None
    when it names no document of the export or the site."""
    if "《" in given:
        guess = find_policy(given, "", candidates)
        return guess.key, guess.reason.replace("标题中的", "")
    numbers = {d.index_no for d in context.existing.values()} | {p.draft.fields.get("index_no") for p in documents}
    if given in numbers:
        return given, f"索引号「{given}」"
    return None, "不是本表或网站上任何文件的索引号"


def _consult_dates(draft: Draft) -> bool:
    return bool(draft.fields.get("consult_start") and draft.fields.get("consult_end"))


def _domain(context: Context, name: str) -> Domain | None:
    return next((d for d in context.domains if name in (d.code, d.name, *d.aliases)), None)


def find_numbers(context: Context, planned: Planned) -> None:
    """Find the personal numbers of the row's cells, and mask every one the clerk did not declare public."""
    draft = planned.draft

    def allowed(found: object) -> bool:
        return context.allowance.in_source(found, planned.path)[0]  # type: ignore[arg-type]

    for name, column, markdown in NUMBER_COLUMNS:
        value = draft.fields.get(name)
        if isinstance(value, str) and value:
            planned.spots += find_spots(draft.row, column, value, allowed, markdown)


def is_public(context: Context, spot: Spot) -> bool:
    line = context.review.numbers.get(spot.review_key)
    return line is not None and line.choice == PUBLIC and spot.kind != ID


def link_interpretations(context: Context, documents: list[Planned]) -> None:
    candidates = [Candidate(str(p.draft.row), p.draft.title, p.draft.fields["doc_no"], p.kind == INTERPRETATION_KIND)
                  for p in documents]  # fmt: skip
    candidates += [Candidate(path, d.title, d.doc_no, d.kind == INTERPRETATION_KIND)
                   for path, d in context.existing.items()]  # fmt: skip
    for planned in documents:
        draft, line = planned.draft, planned.line
        maybe = planned.kind == PENDING and INTERPRETATION_TITLE.search(draft.title)
        if planned.kind != INTERPRETATION_KIND and not maybe:
            continue
        reviewed = context.review.documents.get(draft.row)
        given, said = draft.cells["解读对象"], "导出表的解读对象列"
        if reviewed and reviewed.interprets:
            given, said = reviewed.interprets, "核对表"
        if given:
            others = [c for c in candidates if c.key != str(draft.row)]
            key, reason = _given_policy(given, others, context, documents)
            if key is None:
                planned.kind, planned.policy = PENDING, None
                line.interprets_reason = line.kind_reason = (
                    f"{said}写的解读对象「{given}」{reason}；请写所解读文件的标题（加书名号）或索引号"
                )
                continue
            planned.policy, line.interprets_reason = key, f"{said}：{reason}"
            planned.kind = INTERPRETATION_KIND
            continue
        guess = find_policy(draft.title, draft.fields["body"], [c for c in candidates if c.key != str(draft.row)])
        planned.policy, line.interprets_reason = guess.key, guess.reason
        if guess.key is not None and maybe:
            planned.kind, line.kind_reason = (
                INTERPRETATION_KIND,
                f"{line.kind_reason}；标题像政策解读，且{guess.reason}",
            )
        elif guess.key is None and planned.kind == INTERPRETATION_KIND:
            planned.kind = PENDING
            line.kind_reason = f"政策解读，但{guess.reason}；请在「解读对象」写所解读文件的标题（加书名号）或索引号"
