"""Red team 146: JSON's `\\uXXXX` escapes are read only in a text that is all ASCII, so one letter outside
ASCII anywhere in an argument (a dash, an accent, an emoji) turns the reading off and the escaped private
text reaches a recipient outside its readers.

`guards._forms._low` decodes escapes only on its ASCII branch (`if text.isascii(): ... _JSON_ESCAPE.sub`);
a text that holds any other letter goes to `_low_slow` as written. "Zoë Łukasiewicz, Warszawa" (private,
read in clear) mailed to Bob as `json.dumps({"v": value})` is denied (the red team 141 fix), but
`"Hi Bob — " + json.dumps({"v": value})` (an em dash before it) or `"Café note: " + json.dumps(...)` is
sent. The docs/privacy.md ("What it does not stop") says JSON's escapes, "which json.dumps writes by default,
... are read as the letters they stand for, so they are found": nothing says only in an ASCII text, and
a reply's prose holding one non-ASCII letter beside a serialised record is ordinary.

Fixed: `_low` decodes JSON escapes in any text, not only an ASCII one.
"""

from __future__ import annotations

import json

import pytest
from test_privacy_labels_through_python import mailed

VALUE = "Zoë Łukasiewicz, Warszawa"


def test_control_escaped_json_alone_is_denied() -> None:
    assert mailed(VALUE, lambda v: json.dumps({"v": v})) == []


@pytest.mark.parametrize("prefix", ["Hi Bob — ", "Café note: ", "✓ ", "Grüße: "])
def test_escaped_json_beside_a_letter_outside_ascii_is_denied(prefix: str) -> None:
    assert mailed(VALUE, lambda v: prefix + json.dumps({"v": v})) == [], \
        f"{prefix + json.dumps({'v': VALUE})!r} reached Bob"
