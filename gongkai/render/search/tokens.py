"""Text → the ASCII tokens Pagefind indexes, so that neither jieba nor Intl.Segmenter ever sees Chinese.

Every whitespace-separated run of the (ASCII-lowercased) text becomes its overlapping character
bigrams, each written as two fixed-width base-36 codes, then one bigram of its last character and
END, then PAD: a word Pagefind counts as a position but does not index. Within a run, the bigram of
its k-th character is at position start + k; the next run starts two positions after the END, so
bigrams of two runs never stand where one run's would. assets/terms.js finds a term of n ≥ 2
characters from its bigrams at offsets 0, 2, 4, … and n-2 standing at those offsets from one start
(PAD makes a gap between runs impossible to mistake for the skipped bigram); a single character is
the prefix of every bigram it starts. Keep the two files in step.
"""

from __future__ import annotations

SHORT = 35 * 36 * 36
"""Code points below this are 3 base-36 digits whose first is not 'z'; the rest 'z' + 4 digits."""

END = "000"
"""Code of U+0000, which text never holds: the second half of a run's last bigram."""

PAD = "-"
"""A word Pagefind counts as a word position but does not index (punctuation only)."""

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def fold(text: str) -> str:
    """Lowercase ASCII letters only: Ctrl-F ignores Latin case, and Pagefind lowercases tokens."""
    return text.translate(_LOWER)


_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def code(char: str) -> str:
    """The fixed-width code of one character (prefix-free: no code starts another)."""
    point = ord(char)
    return _base36(point, 3) if point < SHORT else "z" + _base36(point, 4)


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits))


def run_tokens(run: str) -> list[str]:
    """The bigram tokens of one run of non-space characters, ending with (last, END)."""
    codes = [code(c) for c in run]
    return [a + b for a, b in zip(codes, [*codes[1:], END], strict=True)]


def encode(text: str) -> str:
    """The token text Pagefind indexes for ``text``: each run's bigram tokens, then PAD."""
    return " ".join(token for run in fold(text).split() for token in [*run_tokens(run), PAD])


def decode(tokens: str) -> str:
    """The text back from its tokens, runs separated by one space (for tests and excerpts)."""
    runs, chars = [], []
    for token in tokens.split():
        if token == PAD:
            continue
        first, second = _split(token)
        chars.append(first)
        if second == END:
            runs.append("".join(chars))
            chars = []
    return " ".join(runs)


def _split(token: str) -> tuple[str, str]:
    """(first character, code of the second) of one bigram token."""
    if token.startswith("z"):
        return chr(int(token[1:5], 36)), token[5:]
    return chr(int(token[:3], 36)), token[3:]
