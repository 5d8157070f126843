"""What an import writes: 索引号 given in the same run, each document's source (new, or updated in place),
county.yml's new bodies and codes, public-numbers.yml, the ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..commands.index import Unnumbered, insert_index_line, number_documents
from ..errors import Problem
from ..guard.allow import is_valid_personal
from ..link.indexno import compile_template
from ..load.ledger import LEDGER_FILE, format_ledger, load_ledger
from ..load.public import PUBLIC_FILE
from ..model import Document
from ..model.document import INTERPRETATION_KIND, PENDING
from ..model.ledger import LedgerEntry
from .decide import is_public
from .edits import add_agencies, add_public_numbers, drop_agencies, fill_codes, set_keys, yaml_value
from .numbers import Spot, apply
from .state import CHANGED, COUNTY_FILE, NEW, NUMBER_COLUMNS, Context, ImportPlan, Planned


def credit_code(context: Context, name: str) -> str | None:
    """The lead agency's 统一社会信用代码: county.yml's, else the one the clerk wrote in the review."""
    agency = context.config.agency(name)
    if agency and agency.credit_code:
        return agency.credit_code
    written = [line.credit_code for line in context.review.agencies.values() if line.name == name and line.credit_code]
    return written[0] if written else None


def give_numbers(context: Context, plan: ImportPlan, today: dt.date) -> None:
    """Give 索引号 to the new documents whose lead agency has a code; register the ones the export gave."""

    ledger, _ = load_ledger(context.root)
    registered = {entry.index_no for entry in ledger}
    used = registered | {d.index_no for d in context.existing.values() if d.index_no}
    waiting = []
    for planned in plan.documents:
        own = planned.draft.fields.get("index_no") or (
            context.existing[planned.path].index_no if planned.update else None
        )
        planned.index_no = own
        if own:
            used.add(own)
            if own not in registered:
                plan.assigned.append(LedgerEntry(index_no=own, path=planned.path, assigned=today))
            continue
        code = credit_code(context, planned.agencies[0])
        if code:
            waiting.append(Unnumbered(planned.path, code, planned.draft.fields["published"]))
        else:
            plan.waiting.append(planned.path)
    for path, document in context.existing.items():  # numbers the site's own documents carry, unregistered
        if document.index_no and document.index_no not in registered and path not in {p.path for p in plan.documents}:
            plan.assigned.append(LedgerEntry(index_no=document.index_no, path=path, assigned=today))
    given = number_documents(compile_template(context.config.index_template), used, waiting, today)
    by_path = {entry.path: entry.index_no for entry in given}
    for planned in plan.documents:
        planned.index_no = planned.index_no or by_path.get(planned.path)
    plan.assigned += given
    if plan.assigned:
        text = format_ledger([*ledger, *plan.assigned])
        mode = CHANGED if (context.root / LEDGER_FILE).exists() else NEW
        plan.files[LEDGER_FILE] = (mode, text.encode("utf-8"))


def policy_reference(context: Context, plan: ImportPlan, key: str | None) -> str | None:
    """What a 解读对象 says: the policy's 索引号, else its 《标题》 (unique on the site), else None."""
    if key is None:
        return None
    if not (key.isdigit() or key in context.existing):
        return key  # written by the clerk or the export: a 索引号 or a 《标题》
    rows = {str(p.draft.row): p for p in plan.documents}
    if key in rows:
        title, index_no = rows[key].draft.title, rows[key].index_no
    else:
        title, index_no = context.existing[key].title, context.existing[key].index_no
    if index_no:
        return index_no
    same = [p for p in plan.documents if p.draft.title == title] + [
        d for d in context.existing.values() if d.title == title
    ]
    return f"《{title}》" if len(same) == 1 else None


def plan_files(context: Context, plan: ImportPlan) -> None:
    public: dict[str, tuple[str, list[str], str, bool]] = {}
    for planned in plan.documents:
        interprets = policy_reference(context, plan, planned.policy)
        if planned.kind == INTERPRETATION_KIND and interprets is None:
            planned.kind, planned.line.kind_reason = PENDING, "政策解读，但所解读的文件没有索引号，标题也不唯一"
        text = _document_text(context, planned, interprets)
        if text is None:
            plan.refused.append(Problem(context.rel, planned.draft.row, "正文", "有个人号码无法自动遮盖",
                                        "请在导出表中手工遮盖后重新导入"))  # fmt: skip
            continue
        plan.files[planned.path] = (CHANGED if planned.update else NEW, text.encode("utf-8"))
        for spot in planned.spots:
            if is_public(context, spot):
                reason = context.review.numbers[spot.review_key].reason
                entry = public.setdefault(spot.number, (spot.spelling, [], reason, _needs_override(spot.number)))
                entry[1].append(planned.path)
    plan.documents = [p for p in plan.documents if p.path in plan.files]
    _county_file(context, plan)
    if public:
        existing = (
            (context.root / PUBLIC_FILE).read_text(encoding="utf-8") if (context.root / PUBLIC_FILE).exists() else None
        )
        plan.files[PUBLIC_FILE] = (CHANGED if existing else NEW, add_public_numbers(existing, public.values()).encode())


def _needs_override(number: str) -> bool:
    return is_valid_personal(number)


def _document_text(context: Context, planned: Planned, interprets: str | None) -> str | None:
    """The document's source: new, or the existing file with the reviewed keys set; None when a number
    could not be masked."""
    lead, *joint = planned.agencies
    values = {"发布机构": yaml_value(lead), "联合发文机构": yaml_value(joint) if joint else None,
              "领域": yaml_value(planned.domain), "组配分类": yaml_value(planned.kind),
              "解读对象": yaml_value(interprets) if interprets else None}  # fmt: skip
    public = {spot.key for spot in planned.spots if is_public(context, spot)}
    planned.public = public
    if planned.update:
        text = (context.root / planned.path).read_text(encoding="utf-8")
        if planned.index_no and not context.existing[planned.path].index_no:
            text = insert_index_line(text.encode("utf-8"), planned.index_no).decode("utf-8")
        text = set_keys(text, values)
        for spot in sorted(planned.spots, key=lambda spot: -spot.nth):  # the nth first: earlier ones keep their place
            if spot.key in public:
                text = _unmask(text, spot)
        text, missed = apply(text, planned.spots, public)
        return None if any(spot.masked not in text for spot in missed) else text  # masked by the first run
    fields = dict(planned.draft.fields)
    for name, column, _ in NUMBER_COLUMNS:
        if isinstance(fields.get(name), str):
            spots = [s for s in planned.spots if s.column == column]
            fields[name], missed = apply(fields[name], spots, public)
            if missed:
                return None
    document = Document(**{**fields, "index_no": planned.index_no}, agency=lead, co_issuers=tuple(joint),
                        domain=planned.domain, kind=planned.kind, interprets=interprets)  # fmt: skip
    return source_text(document)


def _unmask(text: str, spot: Spot) -> str:
    """The text with the spot's number written back where the first run masked it: the ``nth`` of its
    cell's numbers that look alike (the body's counted from the body on)."""
    at = text.find("\n---\n", 4) + 5 if spot.column == "正文" else 0
    for _ in range(spot.nth):
        at = text.find(spot.masked, at)
        if at < 0:
            return text
        at += len(spot.masked)
    at -= len(spot.masked)
    return text[:at] + spot.spelling + text[at + len(spot.masked) :]


def source_text(document: Document) -> str:
    """The Markdown source of a document: its front matter keys in declaration order, then the body."""
    from ..model.schema import specs

    defaults = {f.name: f.default for f in dataclasses.fields(Document)}
    lines = [
        f"{spec.key}: {yaml_value(getattr(document, name))}"
        for name, spec in specs(Document)
        if getattr(document, name) not in (None, "", ()) and getattr(document, name) != defaults[name]
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + document.body + ("\n" if document.body else "")


def _county_file(context: Context, plan: ImportPlan) -> None:
    """county.yml with the new bodies added and the codes the clerk filled in."""
    used = {name for p in plan.documents for name in p.agencies}
    plan.new_agencies = [a for a in context.resolver.new.values() if a.name in used]
    for agency in plan.new_agencies:
        agency.credit_code = credit_code(context, agency.name)
    missing = [a.name for a in context.config.agencies if not a.credit_code]
    codes = {name: code for name in missing if (code := credit_code(context, name))}
    planned = {p.path for p in plan.documents}
    used |= {name for path, d in context.existing.items() if path not in planned for name in (d.agency, *d.co_issuers)}
    dropped = sorted({before for before, _ in context.renames.values() if before in missing and before not in used})
    if not plan.new_agencies and not codes and not dropped:
        return
    text = (context.root / COUNTY_FILE).read_text(encoding="utf-8")
    text = fill_codes(add_agencies(drop_agencies(text, dropped), plan.new_agencies), codes)
    plan.dropped_agencies = dropped
    plan.files[COUNTY_FILE] = (CHANGED, text.encode("utf-8"))
