"""One import planned in full before anything is written: each row's document with every guess and its
reason, the bodies and codes county.yml gains, the 索引号 given, the numbers masked or registered, and the
review workbook — as file contents, so that ``--dry-run`` shows exactly what a real run writes.

A row already imported (the review file names its file and the file is there) is updated in place: only
the keys the review decides (发布机构, 联合发文机构, 领域, 组配分类, 解读对象, a new 索引号) and the numbers
declared public change; whatever else the clerk edited stays.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..commands.index import Unnumbered, insert_index_line, number_documents
from ..errors import Problem
from ..guard.allow import Allowance, credit_code_problem, is_valid_personal, load_allowance
from ..guard.finder import ID
from ..link.indexno import compile_template
from ..load.catalog import load_domains
from ..load.config import load_config
from ..load.documents import DOCUMENTS_DIR, document_paths, split_front_matter
from ..load.files import read_text, rel_path
from ..load.importmap import load_import_map
from ..load.ledger import LEDGER_FILE, format_ledger, load_ledger
from ..load.legacy import Draft, parse_date, read_legacy
from ..load.public import PUBLIC_FILE
from ..load.yamlsrc import parse_yaml
from ..model import CountyConfig, Document, Domain
from ..model.document import INTERPRETATION_KIND, PENDING
from ..model.ledger import LedgerEntry
from ..render.data.feeds import plain_text
from .agencies import AgencyResolver, NewAgency
from .domains import DomainInference, Evidence
from .edits import add_agencies, add_public_numbers, fill_codes, set_keys, yaml_value
from .interprets import INTERPRETATION_TITLE, Candidate, find_policy
from .kinds import guess_kind
from .numbers import MASK, PUBLIC, Spot, apply, find_spots
from .review import AgencyLine, DocumentLine, NumberLine, Review

COUNTY_FILE = "county.yml"
NUMBER_COLUMNS = (("title", "信息名称", False), ("doc_no", "文号", False), ("summary", "内容概述", False),
                  ("body", "正文", True))  # fmt: skip
"""(Document field, the column the review names, read as Markdown): the cells a document is made of."""
NEW, CHANGED = "新建", "修改"
REVIEWED_KEYS = ("发布机构", "联合发文机构", "领域", "组配分类", "解读对象")


@dataclass
class Planned:
    """One row's document: its path, the values decided, and whether its file exists already."""

    draft: Draft
    path: str
    update: bool
    line: DocumentLine
    agencies: tuple[str, ...] = ()
    domain: str = PENDING
    kind: str = PENDING
    policy: str | None = None
    """The key of the policy a 解读 interprets: an export row number, or an existing document's path."""
    index_no: str | None = None
    spots: list[Spot] = field(default_factory=list)
    public: set[tuple[int, str, str]] = field(default_factory=set)
    """The keys of the spots the clerk declared public (left as they stand, registered in public-numbers.yml)."""


@dataclass
class ImportPlan:
    """Everything one import would write, and what it has to tell the clerk."""

    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Relative path → (新建 or 修改, the new content); the review workbook is not among them."""
    review: Review = field(default_factory=Review)
    documents: list[Planned] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_agencies: list[NewAgency] = field(default_factory=list)
    assigned: list[LedgerEntry] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    """Documents that wait for their agency's 统一社会信用代码 (no 索引号, not published yet)."""


@dataclass
class _Context:
    root: Path
    rel: str
    config: CountyConfig
    domains: list[Domain]
    review: Review
    resolver: AgencyResolver
    inference: DomainInference
    kind_table: dict[str, str]
    allowance: Allowance
    existing: dict[str, Document] = field(default_factory=dict)
    """Existing documents by source path (read leniently)."""


def plan_import(root: Path, table: Path, review: Review, today: dt.date) -> tuple[ImportPlan, list[Problem]]:
    """The whole import of ``table`` into the county at ``root``, with the clerk's ``review`` applied;
    problems that stop it (an unreadable file, a wrong value in the review) come second."""
    context, problems = _context(root, table, review)
    legacy, found = read_legacy(table, table.name)
    problems += found
    if context is None or problems:
        return ImportPlan(), problems
    problems += _review_problems(context)
    if problems:
        return ImportPlan(), problems
    plan = ImportPlan(refused=legacy.refused, warnings=legacy.warnings)
    plan.documents = list(_rows(context, legacy.drafts, plan))
    for planned in plan.documents:
        _agencies(context, planned)
        _kind_and_domain(context, planned)
        _numbers(context, planned)
    _interpretations(context, plan.documents)
    _number(context, plan, today)
    _files(context, plan)
    plan.review = _review(context, plan)
    rows = {p.draft.row for p in plan.documents}
    plan.warnings = [w for w in plan.warnings if w.line is None or w.line in rows]
    return plan, []


def _context(root: Path, table: Path, review: Review) -> tuple[_Context | None, list[Problem]]:
    config, problems = load_config(root)
    domains, found = load_domains(root)
    import_map, mapped = load_import_map(root)
    allowance, allowed = load_allowance(root, config, validate=False)
    problems += found + mapped + allowed
    if config is None or problems:
        return None, problems
    columns = {}
    for line in import_map.columns:
        domain = next((d for d in domains if line.domain in (d.code, d.name, *d.aliases)), None)
        if domain is None:
            message = f"没有名为「{line.domain}」的领域"
            fix = "请写 catalog/domains.yml 中某个领域的代码、名称或别名"
            problems.append(Problem("import-map.yml", line.origin.line_of("领域"), "领域", message, fix))
        else:
            columns[line.column] = domain
    reviewed = {spelling: line.name for spelling, line in review.agencies.items() if line.name}
    kinds = {k.name: k.kind for k in import_map.kinds}
    resolver, inference = AgencyResolver(config, reviewed), DomainInference(domains, columns)
    context = _Context(root, table.name, config, domains, review, resolver, inference, kinds, allowance)
    context.existing = _existing(root)
    return context, problems


def _existing(root: Path) -> dict[str, Document]:
    """The county's documents, read leniently (a file with mistakes still counts): path → title, 索引号, …"""
    found = {}
    for path in sorted(document_paths(root)):
        rel = rel_path(path, root)
        text, _ = read_text(path, rel)
        front = split_front_matter(text)[0] if text else None
        data, _ = parse_yaml(front, rel) if front else (None, [])
        if isinstance(data, dict):
            found[rel] = Document(
                title=str(data.get("标题", "")).strip(), index_no=str(data.get("索引号") or "").strip() or None,
                doc_no=str(data.get("文号", "")), agency=str(data.get("发布机构", "")), written=dt.date.min,
                published=_date(data.get("发布日期")), domain="", subject="", kind=str(data.get("组配分类", "")),
            )  # fmt: skip
    return found


def _date(value: object) -> dt.date:
    return parse_date(value) or dt.date.min


def _review_problems(context: _Context) -> list[Problem]:
    """Values the clerk wrote in the review that the import cannot take; nothing is written while any is left."""
    rel, review, problems = "核对表", context.review, []
    names = {n for d in context.domains for n in (d.code, d.name, *d.aliases)} | {PENDING}
    for line in review.documents.values():
        if line.domain and line.domain not in names:
            problems.append(Problem(f"{rel}「文件」", line.row, "领域", f"没有名为「{line.domain}」的领域",
                                    "请写 catalog/domains.yml 中的领域名称，或「待定」"))  # fmt: skip
        if line.kind and line.kind not in (*context.config.kinds, PENDING):
            problems.append(Problem(f"{rel}「文件」", line.row, "组配分类", f"「{line.kind}」不在组配分类列表中",
                                    "可选：" + "、".join(context.config.kinds)))  # fmt: skip
    for agency in review.agencies.values():
        message = credit_code_problem(agency.credit_code) if agency.credit_code else None
        if message:
            problems.append(Problem(f"{rel}「发布机构」", None, "统一社会信用代码", f"「{agency.spelling}」：{message}",
                                    "请核对这 18 位代码（最后一位是校验码）"))  # fmt: skip
    for number in review.numbers.values():
        where = f"{rel}「号码」"
        if number.choice not in (MASK, PUBLIC):
            problems.append(
                Problem(where, number.row, "处理", f"「{number.choice}」不是可选的处理", "请写「遮盖」或「公开」")
            )
        elif number.choice == PUBLIC and not number.reason:
            problems.append(Problem(where, number.row, "理由", f"{number.masked} 要公开，但没有写理由",
                                    "写明谁的号码、做什么用、为什么可以公开，它会记入 public-numbers.yml"))  # fmt: skip
        elif number.choice == PUBLIC and number.kind == ID:
            problems.append(
                Problem(where, number.row, "处理", f"{number.masked} 是身份证号，不能公开", "请改为「遮盖」")
            )
    return problems


def _rows(context: _Context, drafts: list[Draft], plan: ImportPlan) -> Iterator[Planned]:
    """The rows to write or update; rows whose document is already on the site are skipped."""
    by_index = {d.index_no: path for path, d in context.existing.items() if d.index_no}
    by_title = {(d.title, d.published): path for path, d in context.existing.items()}
    taken: set[str] = set()
    for draft in drafts:
        line = context.review.documents.get(draft.row)
        recorded = line.path if line and line.path and (context.root / line.path).is_file() else ""
        if recorded:
            yield Planned(draft, recorded, True, line or DocumentLine(draft.row, draft.title))
            continue
        same = by_index.get(draft.fields.get("index_no") or "") or by_title.get(
            (draft.title, draft.fields["published"])
        )
        if same:
            plan.skipped.append(Problem(context.rel, draft.row, "标题", f"网站上已有这份文件（{same}），跳过"))
            continue
        path = _free_path(context.root, draft, taken)
        taken.add(path)
        yield Planned(draft, path, False, DocumentLine(draft.row, draft.title))


def _free_path(root: Path, draft: Draft, taken: set[str]) -> str:
    published: dt.date = draft.fields["published"]
    stem = f"{DOCUMENTS_DIR}/{published.year}/{published:%Y%m%d}-imp-{draft.row:04d}"
    path, number = f"{stem}.md", 2
    while path in taken or (root / path).exists():
        path, number = f"{stem}-{number}.md", number + 1
    return path


def _agencies(context: _Context, planned: Planned) -> None:
    line, cell = planned.line, planned.draft.cells["发布机构"]
    reviewed = context.review.documents.get(planned.draft.row)
    if reviewed and reviewed.agency:
        names = [reviewed.agency, *_list(reviewed.co_issuers)]
        planned.agencies = tuple(context.resolver.resolve(" ".join(names), planned.draft.row).names)
        line.agency_reason = "核对表"
    else:
        guess = context.resolver.resolve(cell, planned.draft.row)
        planned.agencies, line.agency_reason = guess.names, guess.reason


def _list(text: str) -> list[str]:
    return [part for part in text.replace("，", "、").replace(",", "、").split("、") if part.strip()]


def _kind_and_domain(context: _Context, planned: Planned) -> None:
    draft, line = planned.draft, planned.line
    reviewed = context.review.documents.get(draft.row)
    if reviewed and reviewed.kind:
        planned.kind, line.kind_reason = reviewed.kind, reviewed.kind_reason or "核对表"
    elif draft.cells["解读对象"]:
        planned.kind, line.kind_reason = INTERPRETATION_KIND, "导出表写了解读对象"
    else:
        guess = guess_kind(draft.cells["组配分类"], draft.title, context.config.kinds, context.kind_table)
        planned.kind, line.kind_reason = guess.kind, guess.reason
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


def _domain(context: _Context, name: str) -> Domain | None:
    return next((d for d in context.domains if name in (d.code, d.name, *d.aliases)), None)


def _numbers(context: _Context, planned: Planned) -> None:
    """Find the personal numbers of the row's cells, and mask every one the clerk did not declare public."""
    draft = planned.draft

    def allowed(found: object) -> bool:
        return context.allowance.in_source(found, planned.path)[0]  # type: ignore[arg-type]

    for name, column, markdown in NUMBER_COLUMNS:
        value = draft.fields.get(name)
        if isinstance(value, str) and value:
            planned.spots += find_spots(draft.row, column, value, allowed, markdown)


def _public(context: _Context, spot: Spot) -> bool:
    line = context.review.numbers.get((spot.row, spot.column, spot.masked))
    return line is not None and line.choice == PUBLIC and spot.kind != ID


def _interpretations(context: _Context, documents: list[Planned]) -> None:
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
        if reviewed and reviewed.interprets:
            planned.policy, line.interprets_reason = reviewed.interprets, reviewed.interprets_reason or "核对表"
            planned.kind = INTERPRETATION_KIND
            continue
        if draft.cells["解读对象"]:
            planned.policy, line.interprets_reason = draft.cells["解读对象"], "导出表的解读对象列"
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


def _code(context: _Context, name: str) -> str | None:
    """The lead agency's 统一社会信用代码: county.yml's, else the one the clerk wrote in the review."""
    agency = context.config.agency(name)
    if agency and agency.credit_code:
        return agency.credit_code
    written = [line.credit_code for line in context.review.agencies.values() if line.name == name and line.credit_code]
    return written[0] if written else None


def _number(context: _Context, plan: ImportPlan, today: dt.date) -> None:
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
        code = _code(context, planned.agencies[0])
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


def _policy_reference(context: _Context, plan: ImportPlan, key: str | None) -> str | None:
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


def _files(context: _Context, plan: ImportPlan) -> None:
    public: dict[str, tuple[str, list[str], str, bool]] = {}
    for planned in plan.documents:
        interprets = _policy_reference(context, plan, planned.policy)
        if planned.kind == INTERPRETATION_KIND and interprets is None:
            planned.kind, planned.line.kind_reason = PENDING, "政策解读，但所解读的文件没有索引号，标题也不唯一"
        text = _document_text(context, planned, interprets)
        if text is None:
            plan.refused.append(Problem(context.rel, planned.draft.row, "正文", "有个人号码无法自动遮盖",
                                        "请在导出表中手工遮盖后重新导入"))  # fmt: skip
            continue
        plan.files[planned.path] = (CHANGED if planned.update else NEW, text.encode("utf-8"))
        for spot in planned.spots:
            if _public(context, spot):
                reason = context.review.numbers[(spot.row, spot.column, spot.masked)].reason
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


def _document_text(context: _Context, planned: Planned, interprets: str | None) -> str | None:
    """The document's source: new, or the existing file with the reviewed keys set; None when a number
    could not be masked."""
    lead, *joint = planned.agencies
    values = {"发布机构": yaml_value(lead), "联合发文机构": yaml_value(joint) if joint else None,
              "领域": yaml_value(planned.domain), "组配分类": yaml_value(planned.kind),
              "解读对象": yaml_value(interprets) if interprets else None}  # fmt: skip
    public = {spot.key for spot in planned.spots if _public(context, spot)}
    planned.public = public
    if planned.update:
        text = (context.root / planned.path).read_text(encoding="utf-8")
        if planned.index_no and not context.existing[planned.path].index_no:
            text = insert_index_line(text.encode("utf-8"), planned.index_no).decode("utf-8")
        text = set_keys(text, values)
        for spot in planned.spots:
            if spot.key in public:
                text = text.replace(spot.masked, spot.spelling, 1)
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


def _county_file(context: _Context, plan: ImportPlan) -> None:
    """county.yml with the new bodies added and the codes the clerk filled in."""
    used = {name for p in plan.documents for name in p.agencies}
    plan.new_agencies = [a for a in context.resolver.new.values() if a.name in used]
    for agency in plan.new_agencies:
        agency.credit_code = _code(context, agency.name)
    codes = {a.name: code for a in context.config.agencies if not a.credit_code and (code := _code(context, a.name))}
    if not plan.new_agencies and not codes:
        return
    text = (context.root / COUNTY_FILE).read_text(encoding="utf-8")
    text = fill_codes(add_agencies(text, plan.new_agencies), codes)
    plan.files[COUNTY_FILE] = (CHANGED, text.encode("utf-8"))


def _review(context: _Context, plan: ImportPlan) -> Review:
    """The workbook for the clerk: this run's decisions, each with its reason."""
    review = Review()
    for planned in plan.documents:
        line = planned.line
        lead, *joint = planned.agencies
        held = PENDING in (planned.domain, planned.kind) or planned.path in plan.waiting
        line.path, line.title = planned.path, planned.draft.title
        line.status = ("已更新" if planned.update else "已导入") + ("，暂不发布" if held else "")
        line.agency, line.co_issuers = lead, "、".join(joint)
        line.domain, line.kind = planned.domain, planned.kind
        line.interprets = (
            _policy_reference(context, plan, planned.policy) or "" if planned.kind == INTERPRETATION_KIND else ""
        )
        review.documents[line.row] = line
    for spelling, (name, reason) in context.resolver.seen.items():
        agency = context.config.agency(name)
        code = (agency.credit_code if agency else None) or _code(context, name) or ""
        rows = sorted({p.draft.row for p in plan.documents if name in p.agencies})
        review.agencies[spelling] = AgencyLine(spelling, name, code, "、".join(map(str, rows)), reason)
    for planned in plan.documents:
        for spot in planned.spots:
            old = context.review.numbers.get((spot.row, spot.column, spot.masked))
            choice, reason = (old.choice, old.reason) if old else (MASK, "")
            review.numbers[(spot.row, spot.column, spot.masked)] = NumberLine(
                spot.row, spot.column, spot.kind, spot.masked, spot.context, choice, reason
            )
    return review


__all__ = ["CHANGED", "NEW", "REVIEWED_KEYS", "ImportPlan", "Planned", "plan_import", "source_text"]
