"""Red team 151: HTML character references without their semicolon are read as letters by every browser
and by Python's `html.unescape`, but not by value tracking.

`guards._forms._REFERENCE` reads a reference only "ended by a semicolon, as a browser reads them"; a
browser (the HTML standard's tokenizer) reads "&#48&#55&#56" as "078" too, and legacy named references
such as "&eacute" without the semicolon. A post published as HTML, "<p>&#48&#55&#56-&#48&#53-&#49&#49&#50&#48</p>",
shows every reader the SSN (private, read in clear); value tracking reads it as written only (the
digits 48555645...). The docs/privacy.md reads "HTML's character references" as letters; its examples end in a
semicolon because `html.escape` writes one, but an injection writes whatever the browser accepts. The
same references with semicolons are denied (the control).

Fixed: `_REFERENCE` takes the semicolon as optional; `html.unescape` reads what a browser reads.

Fixed: a numeric reference needs no semicolon, and a named one needs none where `html.unescape` reads it
so.
"""

from __future__ import annotations

import html

from test_privacy_values_url_percent_encoding import sent

SSN = "078-05-1120"


def test_control_references_with_semicolons_are_denied() -> None:
    assert sent(SSN, "publish_post", lambda v: {"html": "<p>" + "".join(f"&#{ord(c)};" for c in v) + "</p>"}) == []


def test_numeric_references_without_semicolons_are_denied() -> None:
    post = "<p>" + "".join(f"&#{ord(c)}" for c in SSN) + "</p>"
    assert SSN in html.unescape(post)
    assert sent(SSN, "publish_post", lambda v: {"html": post}) == []


def test_hex_references_without_semicolons_are_denied() -> None:
    post = "<p>" + "".join(f"&#x{ord(c):x}" for c in SSN) + "</p>"
    assert SSN in html.unescape(post)
    assert sent(SSN, "publish_post", lambda v: {"html": post}) == []
