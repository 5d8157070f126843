"""Numbers published on purpose that look like personal ones: ``public-numbers.yml``, reviewed like any source."""

from __future__ import annotations

from dataclasses import dataclass, field

from .origin import NOWHERE, Origin
from .schema import spec

EXAMPLE_NUMBER = "6217 0000 1234 5678 901"
"""The 使用指南's example of a public number (an invented account): shown on the guide's pages of every
county, so the guard lets it stand anywhere."""
PLACES_DOC = (
    "可以出现这个号码的源文件，相对于项目根目录，写成列表；* 代表任意字符（含 /），"
    "以 / 结尾代表整个目录。在其他文件中出现仍然报错。"
)
OVERRIDE_DOC = (
    "号码是有效的身份证号、或能通过银行卡号校验（Luhn）时，必须写「是」才能登记，表示已经审核、确认依法可以公开；"
    "每次使用都会记入 check 和 build 的输出。"
)


@dataclass(frozen=True, kw_only=True)
class PublicNumber:
    """One number published on purpose (public-numbers.yml's 公开号码): a treasury account, a clinic's mobile …"""

    number: str = spec("号码", "要公开的号码，加英文引号照原样写，可带空格或短横线。", example=f'"{EXAMPLE_NUMBER}"')
    places: tuple[str, ...] = spec(
        "位置", PLACES_DOC, kind="list", example="[content/documents/2026/2026-0305-czj-001.md]"
    )
    reason: str = spec(
        "理由", "为什么可以公开：谁的号码、做什么用、依据什么。", example="县财政局国库存款账户，缴款通知须公开"
    )
    override: bool = spec("覆盖", OVERRIDE_DOC, kind="bool", required=False, default=False, example="是")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class NumberPattern:
    """A kind of public code the county uses, such as 办件编号 (public-numbers.yml's 编号规则)."""

    name: str = spec("名称", "这种编号的名称。", example="办件编号")
    pattern: str = spec(
        "模式",
        "编号的写法：数字照写；YYYY、MM、DD 是年、月、日（必须是真实的日期），N 是任意一位数字；"
        "空格和短横线只为好读。至少要有 6 位照写的数字（如行政区划代码），总长 11 到 19 位。",
        example='"341722 YYYYMMDD NNNN"',
    )
    places: tuple[str, ...] = spec("位置", PLACES_DOC, kind="list", example="[content/documents/]")
    reason: str = spec(
        "理由", "为什么可以公开。", example="政务服务办件编号：区划代码 + 受理日期 + 4 位序号，公开办件结果时使用"
    )
    override: bool = spec(
        "覆盖",
        "符合模式的编号恰好也是有效的身份证号时（约十分之一），写「是」才放行；不写则这些编号仍然报错。"
        "每次使用都会记入 check 和 build 的输出。",
        kind="bool",
        required=False,
        default=False,
        example="是",
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class PublicNumbers:
    """The whole of ``public-numbers.yml``: numbers and kinds of codes published on purpose."""

    numbers: tuple[PublicNumber, ...] = spec(
        "公开号码",
        "依法公开、但形如个人号码的号码，每项一个。",
        kind="records",
        record=PublicNumber,
        required=False,
        default=(),
    )
    patterns: tuple[NumberPattern, ...] = spec(
        "编号规则",
        "本县使用的、形如个人号码的编号种类（如办件编号），每项一种。",
        kind="records",
        record=NumberPattern,
        required=False,
        default=(),
    )
    origin: Origin = field(default=NOWHERE, compare=False)
