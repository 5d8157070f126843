"""Issuing bodies of export rows: spellings mapped to one body, joint issues split, unknown bodies added.

An export names bodies as its CMS stored them: 「县民政局」 and 「青溪县民政局」 in different rows,
「中共××党工委 ××管委会」 for a joint issue (split at spaces, 「、」, 「，」, 「；」 and 「/」), nothing at all.
Each part is matched against county.yml (names, short names, aliases, and names that differ only by
the county's name or 「县」 in front); a part nobody knows becomes a new body, with every spelling that
names it kept as its short name and aliases and its 统一社会信用代码 left for the clerk. A row without a
body is given the site's 主办单位. The review file may map any spelling to another body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import CountyConfig

_NOT_IN_NAMES = re.compile(r"\.\.|[:#{}\[\]&*!|>'\"%@`,?<=\\\x00-\x1f\x7f]|^[-.]")
SPLIT = re.compile(r"[\s\u3000、，,；;/]+")


def bad_names(cell: str) -> list[str]:
    """The parts of a 发布机构 cell that cannot name a body (「..」, YAML or path punctuation, control
    characters): such a row is refused, never written into county.yml."""
    if ".." in cell:
        return [" ".join(cell.split())]
    return [part for part in SPLIT.split(cell.strip()) if part and _NOT_IN_NAMES.search(part)]


@dataclass
class NewAgency:
    """A body the export names that county.yml does not have yet."""

    name: str
    spellings: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    credit_code: str | None = None

    @property
    def short(self) -> str | None:
        """The 「县……」 spelling, when the export used one."""
        return next((s for s in self.spellings if s.startswith("县") and s != self.name), None)

    @property
    def aliases(self) -> list[str]:
        """Every other spelling the export used."""
        return [s for s in self.spellings if s not in (self.name, self.short)]


@dataclass(frozen=True)
class AgencyGuess:
    """The bodies of one row (the lead first) and why, in Chinese."""

    names: tuple[str, ...]
    reason: str


class AgencyResolver:
    """Resolve the 发布机构 cells of one export against county.yml and the clerk's review."""

    def __init__(self, config: CountyConfig, reviewed: Mapping[str, str] | None = None) -> None:
        self.config = config
        self.reviewed = dict(reviewed or {})
        """Export spelling → the body the clerk chose (review file's 发布机构 sheet)."""
        self.new: dict[str, NewAgency] = {}
        """agency_key → the new body."""
        self.seen: dict[str, tuple[str, str]] = {}
        """Export spelling → (body, reason): every spelling met, for the review file."""

    def resolve(self, cell: str, row: int) -> AgencyGuess:
        """The row's bodies: lead first, joint issuers after, each once."""
        parts = [p for p in SPLIT.split(cell.strip()) if p]
        if not parts:
            sponsor = self.config.agency(self.config.sponsor)
            name = sponsor.name if sponsor else self._new(self.config.sponsor, row)
            return AgencyGuess((name,), f"导出表没有发布机构，按网站主办单位填写「{name}」")
        names, reasons = [], []
        for part in parts:
            name, reason = self._one(part, row)
            self.seen.setdefault(part, (name, reason))
            if name not in names:
                names.append(name)
                reasons.append(reason)
        joint = f"联合发文（{len(names)} 个机构，第一个为牵头机构）；" if len(names) > 1 else ""
        return AgencyGuess(tuple(names), joint + "；".join(reasons))

    def note(self, cell: str) -> None:
        """Keep the spellings of a row the review decided on the 发布机构 sheet (no new body is made)."""
        for part in (p for p in SPLIT.split(cell.strip()) if p):
            agency = self.config.agency(part)
            if part in self.reviewed:
                self.seen.setdefault(part, (self.reviewed[part], f"核对表：「{part}」→ {self.reviewed[part]}"))
            elif agency is not None:
                self.seen.setdefault(part, (agency.name, f"{agency.name}（county.yml 中的机构）"))

    def renames(self) -> dict[str, tuple[str, str]]:
        """Spelling → (the body it reads as without the review, the body the clerk chose), where they differ:
        a body remapped on the review's 发布机构 sheet."""
        plain = AgencyResolver(self.config)
        found = {}
        for spelling, chosen in self.reviewed.items():
            agency = self.config.agency(spelling)
            before = agency.name if agency else plain._full_name(spelling)
            if before != chosen:
                found[spelling] = (before, chosen)
        return found

    def _one(self, part: str, row: int) -> tuple[str, str]:
        if part in self.reviewed:
            return self.reviewed[part], f"核对表：「{part}」→ {self.reviewed[part]}"
        agency = self.config.agency(part)
        if agency is not None:
            how = "county.yml 中的机构" if part in (agency.name, agency.short) else f"「{part}」是它的另一种写法"
            return agency.name, f"{agency.name}（{how}）"
        name = self._new(part, row)
        return name, f"{name}（county.yml 中没有，作为新机构添加，统一社会信用代码待填）"

    def _new(self, part: str, row: int) -> str:
        key = self.config.agency_key(part)
        full = self._full_name(part)
        agency = self.new.setdefault(key, NewAgency(full))
        if len(full) > len(agency.name):
            agency.name = full
        if part not in agency.spellings:
            agency.spellings.append(part)
        if row not in agency.rows:
            agency.rows.append(row)
        return agency.name

    def _full_name(self, part: str) -> str:
        county = self.config.name
        if part.startswith("县") and not part.startswith(county):
            return county + part[1:]
        return part

    def final_name(self, name: str) -> str:
        """A new body's name after every row was read (a longer spelling met later wins)."""
        agency = self.new.get(self.config.agency_key(name))
        return agency.name if agency else name
