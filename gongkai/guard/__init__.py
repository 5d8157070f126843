"""The leak guard: no ID, bank card or mobile number reaches the published site or the repository.

``guard_site`` scans the staged site before it is published; ``scan_sources`` runs with ``check``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildFailed
from ..model.config import CountyConfig
from .patterns import digits_of
from .site import Leak, scan_site
from .sources import locate, scan_sources

CACHE_DIR = ".cache/guard"


def allowed_numbers(config: CountyConfig) -> frozenset[str]:
    """The numbers county.yml publishes on purpose: the contact phone, every 公开电话, and the issuing
    bodies' 统一社会信用代码 (some are all digits, and every 索引号 starts with one)."""
    phones = (config.contact_phone, *(p.number for p in config.hotlines))
    return frozenset(digits_of(n) for n in (*phones, *(a.credit_code for a in config.agencies)))


def guard_site(staging: Path, root: Path, site_name: str, allow: frozenset[str]) -> None:
    """Raise BuildFailed naming every leak in the staged site and the source line it came from."""
    leaks = scan_site(staging, allow, root / CACHE_DIR)
    if leaks:
        raise BuildFailed(describe(leaks, locate(root, {leak.found.number for leak in leaks}), site_name))


def describe(leaks: list[Leak], places: dict[str, tuple[str, int]], site_name: str) -> str:
    """The Chinese report of the leaks: each masked, with its output file and its source."""
    lines = []
    for leak in leaks:
        place = places.get(leak.found.number)
        source = f"来源：{place[0]} 第 {place[1]} 行" if place else "来源不明"
        lines.append(f"{site_name}/{leak.path}：发现疑似{leak.found.kind} {leak.found.masked}（{source}）")
    lines.append(
        f"共 {len(leaks)} 处疑似个人信息，网站没有发布，{site_name}/ 保持原样。"
        "请在源文件中遮盖这些号码（见使用指南「个人信息保护和内容安全」）后重新生成。"
    )
    return "\n".join(lines)


__all__ = ["Leak", "allowed_numbers", "guard_site", "scan_site", "scan_sources"]
