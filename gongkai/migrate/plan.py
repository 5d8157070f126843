"""One import planned in full before anything is written: each row's document with every guess and its
reason, the bodies and codes county.yml gains, the 索引号 given, the numbers masked or registered, and the
review workbook — as file contents, so that ``--dry-run`` shows exactly what a real run writes.

A row already imported (the review file names its file and the file is there) is updated in place: only
the keys the review decides (发布机构, 联合发文机构, 领域, 组配分类, 解读对象, a new 索引号) and the numbers
declared public change; whatever else the clerk edited stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem
from ..guard.allow import credit_code_problem, load_allowance
from ..guard.finder import ID
from ..load.catalog import load_domains
from ..load.config import load_config
from ..load.documents import DOCUMENTS_DIR, document_paths, split_front_matter
from ..load.files import read_text, rel_path
from ..load.importmap import load_import_map
from ..load.legacy import Draft, parse_date, read_legacy
from ..load.yamlsrc import parse_yaml
from ..model import Document
from ..model.document import INTERPRETATION_KIND, PENDING
from .agencies import AgencyResolver, bad_names
from .decide import decide_agencies, decide_kind_and_domain, find_numbers, link_interpretations
from .domains import DomainInference
from .match import align, fingerprint
from .numbers import MASK, PUBLIC, masked_text
from .output import credit_code, give_numbers, plan_files, policy_reference, source_text
from .review import AgencyLine, DocumentLine, NumberLine, Review
from .state import CHANGED, NEW, Context, ImportPlan, Planned
from .verify import build_problems


def plan_import(
    root: Path, table: Path, review: Review, today: dt.date, review_name: str = "核对表"
) -> tuple[ImportPlan, list[Problem]]:
    """The whole import of ``table`` into the county at ``root``, with the clerk's ``review`` applied;
    problems that stop it (an unreadable file, a wrong value in the review) come second."""
    legacy, problems = read_legacy(table, table.name)
    prints = {d.row: fingerprint(d, masked_text) for d in legacy.drafts}
    titles = {d.row: masked_text(d.title) for d in legacy.drafts}
    review, unmatched = align(review, legacy.drafts, prints, titles, review_name)
    context, found = _context(root, table, review)
    problems += found
    if context is None or problems:
        return ImportPlan(), problems
    context.review_name, context.prints, context.titles = review_name, prints, titles
    problems += _review_problems(context)
    if problems:
        return ImportPlan(), problems
    plan = ImportPlan(refused=legacy.refused, warnings=legacy.warnings + unmatched)
    plan.documents = []
    for planned in _rows(context, legacy.drafts, plan):
        bad = bad_names(planned.draft.cells["发布机构"])
        if bad and not all(context.config.agency(b) or b in context.review.agencies for b in bad):
            message = "发布机构「" + "」「".join(bad) + "」含有不能用于机构名称的字符（如 ..、:、#、引号、换行）"
            plan.refused.append(Problem(context.rel, planned.draft.row, "发布机构", message,
                                        "请在导出表中写机构的全称后重新导入"))  # fmt: skip
        else:
            plan.documents.append(planned)
    for planned in plan.documents:
        decide_agencies(context, planned)
        decide_kind_and_domain(context, planned)
        find_numbers(context, planned)
    link_interpretations(context, plan.documents)
    give_numbers(context, plan, today)
    plan_files(context, plan)
    plan.unbuildable = build_problems(root, plan, today)
    plan.review = _review(context, plan)
    rows = {p.draft.row for p in plan.documents}
    plan.warnings = [w for w in plan.warnings if w.line is None or w.line in rows]
    return plan, []


def _context(root: Path, table: Path, review: Review) -> tuple[Context | None, list[Problem]]:
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
    context = Context(root, table.name, config, domains, review, resolver, inference, kinds, allowance)
    context.existing = _existing(root)
    context.renames = resolver.renames()
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
                co_issuers=tuple(str(n) for n in data.get("联合发文机构") or () if isinstance(n, str)),
                published=_date(data.get("发布日期")), domain="", subject="", kind=str(data.get("组配分类", "")),
            )  # fmt: skip
    return found


def _date(value: object) -> dt.date:
    return parse_date(value) or dt.date.min


def _review_problems(context: Context) -> list[Problem]:
    """Values the clerk wrote in the review that the import cannot take; nothing is written while any is left."""
    rel, review, problems = context.review_name, context.review, []
    names = {n for d in context.domains for n in (d.code, d.name, *d.aliases)} | {PENDING}
    for line in review.documents.values():
        if line.domain and line.domain not in names:
            problems.append(Problem(f"{rel}「文件」", line.row, "领域", f"没有名为「{line.domain}」的领域",
                                    "请写 catalog/domains.yml 中的领域名称，或「待定」"))  # fmt: skip
        if line.kind and line.kind not in (*context.config.kinds, PENDING):
            problems.append(Problem(f"{rel}「文件」", line.row, "组配分类", f"「{line.kind}」不在组配分类列表中",
                                    "可选：" + "、".join(context.config.kinds)))  # fmt: skip
    for line in review.documents.values():
        target = (context.root / line.path).resolve() if line.path else None
        inside = target is not None and target.is_relative_to((context.root / DOCUMENTS_DIR).resolve())
        if target is not None and not (inside and line.path.endswith(".md") and target.is_file()):
            problems.append(Problem(f"{rel}「文件」", line.row, "文件",
                                    f"「{line.path}」不是本次导入写过的文件：灰色的「文件」列由 gongkai 填写，不能修改",
                                    "请改回原来的值；这份文件已删除的话，把这一行从核对表删去"))  # fmt: skip
    owners = {a.credit_code: a.name for a in context.config.agencies if a.credit_code}
    for agency in review.agencies.values():
        message = credit_code_problem(agency.credit_code) if agency.credit_code else None
        owner = owners.setdefault(agency.credit_code, agency.name) if agency.credit_code else agency.name
        if not message and owner != agency.name:
            message = f"统一社会信用代码 {agency.credit_code} 已是「{owner}」的代码"
        if message:
            fix = "请核对这 18 位代码（最后一位是校验码）"
            problems.append(Problem(f"{rel}「发布机构」", agency.sheet_row, "统一社会信用代码",
                                    f"「{agency.spelling}」：{message}", fix))  # fmt: skip
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


def _rows(context: Context, drafts: list[Draft], plan: ImportPlan) -> Iterator[Planned]:
    """The rows to write or update; rows whose document is already on the site are skipped."""
    by_index = {d.index_no: path for path, d in context.existing.items() if d.index_no}
    by_title = {(d.title, d.published): path for path, d in context.existing.items()}
    taken: set[str] = set()
    first: dict[tuple[str, str], int] = {}
    for draft in drafts:
        body = (context.prints[draft.row], str(draft.fields.get("body", "")))
        if body in first:
            message = f"与第 {first[body]} 行完全相同（标题、文号、发布日期和正文），只导入第 {first[body]} 行"
            plan.skipped.append(Problem(context.rel, draft.row, "标题", message))
            continue
        first[body] = draft.row
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


def _review(context: Context, plan: ImportPlan) -> Review:
    """The workbook for the clerk: this run's decisions, each with its reason."""
    review = Review()
    for planned in plan.documents:
        line = planned.line
        lead, *joint = planned.agencies
        held = PENDING in (planned.domain, planned.kind) or planned.path in plan.waiting
        line.path, line.title = planned.path, context.titles[planned.draft.row]
        line.fingerprint = context.prints[planned.draft.row]
        refused = [p.message for p in plan.unbuildable if p.path == planned.path]
        line.status = ("已更新" if planned.update else "已导入") + ("，暂不发布" if held else "")
        line.status += "".join(f"；构建会拒绝：{message}" for message in refused)
        line.agency, line.co_issuers = lead, "、".join(joint)
        line.domain, line.kind = planned.domain, planned.kind
        line.interprets = (
            policy_reference(context, plan, planned.policy) or "" if planned.kind == INTERPRETATION_KIND else ""
        )
        review.documents[line.row] = line
    for spelling, (name, reason) in context.resolver.seen.items():
        agency = context.config.agency(name)
        code = (agency.credit_code if agency else None) or credit_code(context, name) or ""
        rows = sorted({p.draft.row for p in plan.documents if name in p.agencies})
        review.agencies[spelling] = AgencyLine(spelling, name, code, "、".join(map(str, rows)), reason)
    for planned in plan.documents:
        for spot in planned.spots:
            old = context.review.numbers.get(spot.review_key)
            choice, reason = (old.choice, old.reason) if old else (MASK, "")
            review.numbers[spot.review_key] = NumberLine(
                spot.row, spot.column, spot.kind, spot.masked, spot.context, choice, reason, spot.nth
            )
    return review


__all__ = ["CHANGED", "NEW", "ImportPlan", "Planned", "plan_import", "source_text"]
