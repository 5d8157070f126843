"""The Content-Security-Policy every page carries in a <meta> element, whatever host serves it.

The hosting guide's web-server header says the same (plus ``frame-ancestors``, which only a header
can say); the page's own copy protects readers where the host sends no header. Pages hold no inline
script or style, so the policy needs no ``'unsafe-inline'``.
"""

from __future__ import annotations

POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'


def with_policy(html: str) -> str:
    """The page with the policy as the first element of its <head> (before anything that could load)."""
    head = html.find("<head>")
    if head < 0:
        return html
    at = head + len("<head>")
    return html[:at] + META + html[at:]
