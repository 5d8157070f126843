"""领域 inference accuracy of `gongkai import documents` on two labelled sets.

- demo: every document of the demo county (its title, 组配分类 as the 栏目 an export gives, 主题分类,
  body and 发布机构), labelled by its own 领域;
- other: ``benchmarks/data/domains-other.csv``, rows written by hand in another county's wording
  (「云岭县」: other body names, other title habits, 栏目 names of a different CMS), labelled by hand.

For each set: rows, rows decided, accuracy of the decided rows, rows left unsure (reported, 「待定」),
and with ``--show`` each wrong and each unsure row with the inference's reason. Run:
``.venv/bin/python benchmarks/domain_accuracy.py [--show]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.load import load_county  # noqa: E402
from gongkai.migrate.domains import DomainInference, Evidence  # noqa: E402
from gongkai.render.data.feeds import plain_text  # noqa: E402

OTHER = ROOT / "benchmarks/data/domains-other.csv"
TARGET = 0.9


@dataclass(frozen=True)
class Labelled:
    evidence: Evidence
    domain: str
    """The right domain's name."""


@dataclass
class Score:
    rows: int = 0
    decided: int = 0
    right: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.decided if self.decided else 0.0


def demo_set(root: Path) -> tuple[DomainInference, list[Labelled]]:
    county = load_county(root)
    rows = []
    for doc in county.documents:
        domain = county.domain(doc.domain)
        assert domain is not None
        evidence = Evidence(doc.title, doc.kind, doc.subject, plain_text(doc.body), doc.agencies)
        rows.append(Labelled(evidence, domain.name))
    return DomainInference(county.domains), rows


def other_set(inference: DomainInference) -> list[Labelled]:
    with OTHER.open(encoding="utf-8") as file:
        return [
            Labelled(Evidence(r["标题"], r["栏目"], r["主题分类"], r["正文"], tuple(r["发布机构"].split())), r["领域"])
            for r in csv.DictReader(file)
        ]


def score(inference: DomainInference, rows: list[Labelled], name: str, show: bool) -> Score:
    result = Score()
    for row in rows:
        guess = inference.guess(row.evidence)
        result.rows += 1
        if guess.domain is None:
            if show:
                print(f"  [{name}] 待定 {row.evidence.title}（应为 {row.domain}）：{guess.reason}")
            continue
        result.decided += 1
        if guess.domain.name == row.domain:
            result.right += 1
        elif show:
            print(f"  [{name}] 错 {row.evidence.title}：推断 {guess.domain.name}，应为 {row.domain}（{guess.reason}）")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each wrong and unsure row")
    parser.add_argument("--project", type=Path, default=ROOT, help="the demo county (default: this repository)")
    args = parser.parse_args()
    inference, demo = demo_set(args.project)
    results = {
        "demo": score(inference, demo, "demo", args.show),
        "other": score(inference, other_set(inference), "other", args.show),
    }
    print(f"{'set':<6} {'rows':>5} {'decided':>8} {'accuracy':>9} {'unsure':>7}")
    for name, result in results.items():
        unsure = result.rows - result.decided
        print(f"{name:<6} {result.rows:>5} {result.decided:>8} {result.accuracy:>9.3f} {unsure:>7}")
    return 0 if all(r.accuracy >= TARGET for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
