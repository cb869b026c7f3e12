"""Red team 146: a digit token of a private text (an SSN inside a note) written with JSON's `\\uXXXX`
escapes for its digits reaches a recipient outside its readers, though the same escapes are read as the
digits they stand for when the private value is the SSN alone.

Since commit 4858b5f value tracking reads `\\u0030` as "0" in a text's normal form (`_low`), so
"ssn \\u0030\\u0037\\u0038\\u0030\\u0035\\u0031\\u0031\\u0032\\u0030" is denied when the private value is
"078-05-1120" (its whole normal form is found). But a digit token of a longer private text ("Bob's SSN
078-05-1120 on file at the bank": the SSN is tracked as the token 078051120) is looked up in the text's
digits as `guards._forms._digits_of` reads them, with `_fold` and no escape read: the digits of the
escapes (0030 0037 0038 ...) hold no token. The docs/privacy.md says JSON's escapes "are read as the letters they
stand for, so they are found"; a digit token is docs/privacy.md's own example of what tracking finds in any
text, and json.dumps-style escapes of it are one `"".join(f"\\\\u{ord(c):04x}" ...)` away.

Fixed: `_digits_of` adds the escapes read as digits as one more reading.
"""

from __future__ import annotations

import pytest
from test_privacy_labels_through_python import mailed

NOTE = "Bob's SSN 078-05-1120 on file at the bank"


def _escaped(s: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in s)


def test_control_the_ssn_alone_escaped_is_denied() -> None:
    assert mailed("078-05-1120", lambda v: "ssn " + _escaped("078051120")) == []


@pytest.mark.parametrize("body", ["ssn " + _escaped("078051120"), "ssn " + _escaped("078") + "-05-1120",
                                  "ssn " + _escaped("078-05-1120")])
def test_a_digit_token_of_a_note_with_escaped_digits_is_denied(body: str) -> None:
    assert mailed(NOTE, lambda v: body) == [], f"{body!r} reached Bob"
