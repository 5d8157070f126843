"""Numbers published on purpose: county.yml's own (validated) and the reviewed ``public-numbers.yml``.

- county.yml: 联系电话, every 公开电话, 依申请公开's 电话 and 传真 must look like telephone numbers,
  every 统一社会信用代码 must pass GB 32100; they may then stand anywhere (they are on every page).
- public-numbers.yml: each 公开号码 may stand only in the source files of its 位置; each 编号规则
  lets codes of its shape through in its 位置. A number that is a valid ID or passes Luhn needs
  ``覆盖: 是``, and every use of an override is logged. In the built site every registered number is
  allowed wherever the pages that carry it put it (the sources were checked first).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import Problem
from ..load.public import PUBLIC_FILE, load_public_numbers
from ..model.config import CountyConfig
from ..model.public import EXAMPLE_NUMBER, NumberPattern, PublicNumber, PublicNumbers
from . import codes
from .finder import ACCOUNT, BANK, ID, classify_weak
from .normalise import fold
from .patterns import Found

log = logging.getLogger(__name__)

PHONE_FIX = (
    "这里只写固定电话（如 0550-7011234）、政务服务热线（如 12345）或公开的服务手机号；身份证号、银行卡号不能写在这里"
)
OVERRIDE_FIX = (
    "确认这个号码依法可以公开（不是某个人的身份证号或银行卡号）后，在这一项加一行「覆盖: 是」；"
    "每次使用都会记入 check 和 build 的输出"
)
_LANDLINE = re.compile(r"0[0-9]{9,11}")
_SERVICE = re.compile(r"[0-9]{3,6}|[48]00[0-9]{7}")
_PHONE_CHARS = re.compile(r"[0-9+\-(). ·/]+")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?)\s*[0-9]{1,6}$", re.IGNORECASE)
_TEMPLATE = re.compile(r"YYYY|MM|DD|N|[0-9]")
_TEMPLATE_PARTS = {"YYYY": "(?P<y>[0-9]{4})", "MM": "(?P<m>[0-9]{2})", "DD": "(?P<d>[0-9]{2})", "N": "[0-9]"}


@dataclass
class Allowance:
    """Which numbers may stand where: anywhere (county.yml), in given source files (public-numbers.yml)."""

    everywhere: frozenset[str] = frozenset()
    numbers: dict[str, PublicNumber] = field(default_factory=dict)
    patterns: list[tuple[NumberPattern, re.Pattern[str]]] = field(default_factory=list)
    used: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    """Overrides used in the sources: entry line → (number as the audit shows it, file), for the log."""

    def entry(self, found: Found) -> PublicNumber | NumberPattern | None:
        """The public-numbers.yml entry that covers this number, if any."""
        if found.number in self.numbers:
            return self.numbers[found.number]
        for pattern, compiled in self.patterns:
            if not pattern_matches(compiled, found.number) or is_resident_id(found.number):
                continue  # no rule lets a valid ID number through, override or not: it is a resident's
            if pattern.override or not is_valid_personal(found.number):
                return pattern
        return None

    def in_outputs(self, found: Found) -> bool:
        """Whether the built site may show this number (anywhere)."""
        return found.number in self.everywhere or self.entry(found) is not None

    def in_source(self, found: Found, rel: str) -> tuple[bool, PublicNumber | NumberPattern | None]:
        """Whether the source file ``rel`` may hold this number, and the entry that speaks about it."""
        if found.number in self.everywhere:
            return True, None
        entry = self.entry(found)
        if entry is None:
            return False, None
        if rel == PUBLIC_FILE:
            return True, entry
        allowed = any(matches(place, rel) for place in entry.places)
        if allowed and entry.override:
            self.used.setdefault(entry.origin.line or 0, []).append((_audit_mask(found), rel))
        return allowed, entry

    def log_overrides(self) -> None:
        """Say, in the command's output, every override that let a number through: the number (first 6
        and last 4 digits) and the files."""
        for line, uses in sorted(self.used.items()):
            numbers = sorted({number for number, _ in uses})
            files = sorted({rel for _, rel in uses})
            shown = "、".join(files[:3]) + (f" 等 {len(files)} 个文件" if len(files) > 3 else "")
            listed = "、".join(numbers[:5]) + (f" 等 {len(numbers)} 个" if len(numbers) > 5 else "")
            log.warning("%s 第 %s 行的「覆盖: 是」放行了号码 %s：%s", PUBLIC_FILE, line, listed, shown)
        self.used.clear()


def _audit_mask(found: Found) -> str:
    """A number let through by an override, as the audit line names it: its first 6 and last 4 digits."""
    number = found.number
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else found.masked


def is_resident_id(number: str) -> bool:
    """A number that passes as a resident's ID: an 18-character one with its check character and a real
    birth date, or an old 15-digit one with a real area code and birth date."""
    return codes.is_id18(number) or (len(number) == 15 and codes.is_id15(number))


def is_valid_personal(number: str) -> bool:
    """A valid ID number (check character right) or a number that passes as a bank card (Luhn):
    such a number is allowed only with an explicit override."""
    return (
        codes.is_id18(number)
        or codes.is_id15(number)
        or (16 <= len(number) <= 19 and number.isdigit() and codes.luhn(number))
    )


def matches(place: str, rel: str) -> bool:
    """Whether a 位置 (a glob, or a folder ending in /) covers the source file ``rel``."""
    place = place.strip().lstrip("./") if place.strip().startswith("./") else place.strip()
    if place.endswith("/"):
        return rel.startswith(place)
    return fnmatch.fnmatchcase(rel, place)


def load_allowance(root: Path, config: CountyConfig | None, validate: bool = True) -> tuple[Allowance, list[Problem]]:
    """The county's allowance and (with ``validate``) every problem of county.yml's numbers and of
    public-numbers.yml."""
    public, problems = load_public_numbers(root)
    if validate:
        problems += public_problems(public, root) + (config_problems(config) if config else [])
    allowance = Allowance(everywhere=allowed_numbers(config) if config else frozenset({digits(EXAMPLE_NUMBER)}))
    for entry in public.numbers:
        allowance.numbers.setdefault(number_key(entry.number), entry)
    for pattern in public.patterns:
        compiled = compile_pattern(pattern.pattern)
        if compiled is not None:
            allowance.patterns.append((pattern, compiled))
    return allowance, problems


def allowed_numbers(config: CountyConfig) -> frozenset[str]:
    """The numbers county.yml publishes on purpose that are what they say: its telephones and its
    issuing bodies' 统一社会信用代码 (an all-digit one would otherwise read as an account)."""
    phones = [config.contact_phone, *(p.number for p in config.hotlines)]
    if config.application:
        phones += [config.application.phone, config.application.fax or ""]
    good = [digits(p) for p in phones if p and phone_problem(p) is None]
    good += [_bare_phone(p) for p in good]
    credit_codes = [digits(a.credit_code) for a in config.agencies if a.credit_code]
    good += [code for code in credit_codes if codes.is_credit_code(code)]
    return frozenset([*good, digits(EXAMPLE_NUMBER)])


def _bare_phone(number: str) -> str:
    """A mobile without its country code, as the finder reports it."""
    for prefix in ("0086", "86"):
        if number.startswith(prefix) and codes.is_mobile(number[len(prefix) :]):
            return number[len(prefix) :]
    return number


def config_problems(config: CountyConfig) -> list[Problem]:
    """county.yml's public numbers that are not what their field says."""
    path = config.origin.path or "county.yml"
    problems = []
    fields = [(config.contact_phone, config.origin.line_of("联系电话"), "联系电话")]
    fields += [(p.number, p.origin.line_of("号码"), "号码") for p in config.hotlines]
    if config.application:
        office = config.application
        fields += [(office.phone, office.origin.line_of("电话"), "电话")]
        fields += [(office.fax, office.origin.line_of("传真"), "传真")] if office.fax else []
    for value, line, key in fields:
        message = phone_problem(value)
        if message:
            problems.append(Problem(path, line, key, message, PHONE_FIX))
    for agency in config.agencies:
        message = credit_code_problem(agency.credit_code) if agency.credit_code else None
        if message:
            line = agency.origin.line_of("统一社会信用代码")
            problems.append(Problem(path, line, "统一社会信用代码", message, _CODE_FIX))
    return problems


_CODE_FIX = "请核对这 18 位代码（最后一位是校验码），可在国家企业信用信息公示系统或机构的登记证书上查到"


def phone_problem(value: str) -> str | None:
    """What is wrong with a telephone number in county.yml, or None: a mobile, a landline with its area
    code, a short service number (12345) or a 400/800 number, maybe with +86 and an extension."""
    kind, number = classify_weak(digits(value))
    if kind in (ID, BANK, ACCOUNT):
        return f"「{Found(kind, number).masked}」不是电话号码，看起来是{kind}"
    main = _EXTENSION.sub("", fold(value).strip())
    bare = _bare_phone(digits(main))
    if not _PHONE_CHARS.fullmatch(main) or not (
        codes.is_mobile(bare) or _LANDLINE.fullmatch(bare) or _SERVICE.fullmatch(bare)
    ):
        return f"「{value.strip()}」不是电话号码"
    return None


def credit_code_problem(code: str) -> str | None:
    """What is wrong with a 统一社会信用代码, or None."""
    text = fold(code).strip().upper()
    if codes.is_credit_code(text):
        return None
    kind, number = classify_weak(text) if text.isdigit() or text[:-1].isdigit() else (None, "")
    if kind:
        return f"「{Found(kind, number).masked}」不是统一社会信用代码，看起来是{kind}"
    if len(text) == 18 and all(c in codes.CODE_CHARS for c in text):
        return f"统一社会信用代码「{text}」的校验码不对（按 GB 32100 应为「{codes.credit_check_char(text[:17])}」）"
    return f"「{text}」不是 18 位统一社会信用代码（数字和除 I、O、S、V、Z 以外的大写字母）"


def public_problems(public: PublicNumbers, root: Path) -> list[Problem]:
    """public-numbers.yml's entries that may not be registered as they stand."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for entry in public.numbers:
        problems += _number_problems(entry, seen)
        problems += _place_problems(entry, root)
    for pattern in public.patterns:
        message = pattern_problem(pattern.pattern)
        if message:
            problems.append(Problem(PUBLIC_FILE, pattern.origin.line_of("模式"), "模式", message, _PATTERN_FIX))
        elif id_shaped(pattern.pattern):
            problems.append(_id_shaped_problem(pattern))
        problems += _place_problems(pattern, root)
    return problems


ID_SHAPE_FIX = (
    "编号规则不能放行身份证号：请删除「覆盖: 是」；个别号码确实依法公开、又恰好能通过身份证号校验的，"
    "请在「公开号码」中逐个登记并写明理由"
)


def _id_shaped_problem(pattern: NumberPattern) -> Problem:
    line = pattern.origin.line_of("模式")
    shape = "的形状与身份证号相同（6 位地区码 + 出生日期 + 顺序码），可能与居民的身份证号重合"
    if pattern.override:
        message = f"编号规则「{pattern.name}」{shape}，加「覆盖: 是」会把居民的身份证号当作编号公开"
        return Problem(PUBLIC_FILE, pattern.origin.line_of("覆盖") or line, "覆盖", message, ID_SHAPE_FIX)
    message = f"编号规则「{pattern.name}」{shape}；能通过身份证号校验的号码不会被这条规则放行"
    return Problem(PUBLIC_FILE, line, "模式", message, "这些号码请遮盖，或在「公开号码」中逐个登记", warning=True)


def id_shaped(template: str) -> bool:
    """Whether a 编号规则 could match a valid ID number: 18 (or 15) digits whose first two can be a
    province and whose birth-date digits can make a real date."""
    compact = re.sub(r"[\s\-]", "", fold(template).upper())
    allowed: list[str] = []
    for token in _TEMPLATE.findall(compact):
        allowed += ["0123456789"] * len(token) if not token.isdigit() else [token]
    if len(allowed) not in (15, 18):
        return False
    if not any(a in allowed[0] and b in allowed[1] for a, b in (tuple(p) for p in codes.PROVINCES)):
        return False
    born = allowed[6:14] if len(allowed) == 18 else ["1", "9", *allowed[6:12]]
    day, last = dt.date(1900, 1, 1), dt.date.today()
    while day <= last:
        if all(c in a for c, a in zip(day.strftime("%Y%m%d"), born, strict=True)):
            return True
        day += dt.timedelta(days=1)
    return False


_PATTERN_FIX = '数字照写，YYYY、MM、DD 代表年月日，N 代表任意一位数字，例如 模式: "341722 YYYYMMDD NNNN"'


def _number_problems(entry: PublicNumber, seen: dict[str, int]) -> list[Problem]:
    number = digits(entry.number)
    line = entry.origin.line_of("号码")
    kind, shown = classify_weak(number)
    if number in seen:
        return [
            Problem(
                PUBLIC_FILE, line, "号码", f"号码与第 {seen[number]} 行重复", "每个号码只登记一次，把位置合并到一项"
            )
        ]
    seen[number] = line or 0
    masked = Found(kind, shown).masked if kind else entry.number.strip()
    if is_valid_personal(shown) and not entry.override:
        what = "有效的身份证号" if kind == ID else "能通过银行卡号校验（Luhn）的号码"
        return [Problem(PUBLIC_FILE, line, "覆盖", f"号码 {masked} 是{what}，没有「覆盖: 是」不能登记", OVERRIDE_FIX)]
    if kind is None and not codes.is_public_code(number):
        message = f"号码「{masked}」不会被当作个人号码，不必登记"
        return [Problem(PUBLIC_FILE, line, "号码", message, "删除这一项", warning=True)]
    return []


def _place_problems(entry: PublicNumber | NumberPattern, root: Path) -> list[Problem]:
    problems = []
    line = entry.origin.line_of("位置")
    for place in entry.places:
        pure = PurePosixPath(place.strip())
        if pure.is_absolute() or ".." in pure.parts or ":" in place or "\\" in place:
            problems.append(
                Problem(
                    PUBLIC_FILE,
                    line,
                    "位置",
                    f"位置「{place}」不在项目目录内",
                    "写相对于项目根目录的路径，例如 content/documents/2026/",
                )
            )
        elif not any(matches(place, rel) for rel in _source_names(root)):
            problems.append(
                Problem(
                    PUBLIC_FILE,
                    line,
                    "位置",
                    f"位置「{place}」没有对应的源文件",
                    "请改正路径，或删除这个位置",
                    warning=True,
                )
            )
    return problems


def _source_names(root: Path) -> list[str]:
    from .sources import source_files  # the same files check reads

    return [path.relative_to(root).as_posix() for path in source_files(root)]


def pattern_problem(template: str) -> str | None:
    """What is wrong with a 编号规则's 模式, or None."""
    compact = re.sub(r"[\s\-]", "", fold(template).upper())
    tokens = _TEMPLATE.findall(compact)
    if "".join(tokens) != compact:
        return f"模式「{template}」中有不认识的字符"
    literal = sum(t.isdigit() for t in tokens)
    length = sum(len(t) for t in tokens)
    if literal < 6:
        return f"模式「{template}」只有 {literal} 位照写的数字，至少要 6 位（如行政区划代码），否则会放过太多号码"
    if not 11 <= length <= 19:
        return f"模式「{template}」共 {length} 位，应为 11 到 19 位"
    return None


def compile_pattern(template: str) -> re.Pattern[str] | None:
    """A 模式 as a regular expression over a number's digits (year, month, day as named groups); None if wrong."""
    if pattern_problem(template):
        return None
    compact = re.sub(r"[\s\-]", "", fold(template).upper())
    parts, named = [], set()
    for token in _TEMPLATE.findall(compact):
        part = _TEMPLATE_PARTS.get(token, token)
        if token in ("YYYY", "MM", "DD"):
            part = part if token not in named else f"[0-9]{{{len(token)}}}"  # only the first date is checked
            named.add(token)
        parts.append(part)
    return re.compile("".join(parts))


def pattern_matches(compiled: re.Pattern[str], number: str) -> bool:
    """Whether a number has the pattern's shape, its year, month and day making a real date."""
    match = compiled.fullmatch(number)
    if match is None:
        return False
    found = match.groupdict()
    year, month, day = int(found.get("y") or 2000), int(found.get("m") or 1), int(found.get("d") or 1)
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= dt.date.today().year + 1


def number_key(text: str) -> str:
    """A registered number as the finder reports it: its digits (and X), a mobile without +86."""
    number = digits(text)
    kind, found = classify_weak(number)
    return found if kind else number


def digits(text: str) -> str:
    """A number's digits and a final X, however it was written."""
    return re.sub(r"[^0-9X]", "", fold(text).upper())
