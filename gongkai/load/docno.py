"""文号 as the provincial standard writes it: 机关代字〔YYYY〕N号, whatever brackets the clerk typed."""

from __future__ import annotations

import re

NONE = "无"
_OPENING = "[［【(（〔﹝〖<《"
_CLOSING = "]］】)）〕﹞〗>》"
_BRACKETED_YEAR = re.compile(f"[{re.escape(_OPENING)}]([0-9]{{4}})[{re.escape(_CLOSING)}]")
_PADDED_SERIAL = re.compile("〕0+(?=[0-9])")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACES = re.compile(r"\s+")  # \s covers the full-width space U+3000 and no-break spaces


def normalise_doc_no(raw: str) -> str:
    """The 文号 with its year in 〔〕, ASCII digits, no spaces and no zero-padded serial; 「无」 if blank."""
    text = _SPACES.sub("", raw.translate(_FULL_WIDTH_DIGITS))
    if not text or text == NONE:
        return NONE
    text = _BRACKETED_YEAR.sub(r"〔\1〕", text)
    return _PADDED_SERIAL.sub("〕", text)
