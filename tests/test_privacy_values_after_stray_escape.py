"""Red team 146 (a regression of the `\\uXXXX` reading, commit 4858b5f): a private value written in clear
right after a backslash and a "u" is no longer found when its first four characters are hex digits.

Value tracking now reads `\\uXXXX` as the letter it stands for wherever it reads a text
(`guards._forms._low`), and only so: in "your login: \\uCafe2024Secure!" it reads "\\uCafe" as the
Hangul syllable U+CAFE and the password Cafe2024Secure! (private, read in clear) as "쫾2024Secure!",
which holds no tracked value (the digit run 2024 is too short to be a token of its own). Before the
change the text was read as written ("ucafe2024secure" holds "cafe2024secure") and the mail was denied.
The same goes for an address ("\\ubead.smith@example.org"): any value whose first four letters or
digits are 0-9/a-f (Cafe, Bead, Face, Dead, Fade, 1234...). The recipient of a mail reads the text as
written, the password in clear after two stray characters: an escape is one reading of a text, never
the only one. The docs/privacy.md does not list this among the limits (a value written whole, in clear).

Fixed: a text holding `\\u` is also labelled as written (`_forms._as_written` writes `\\U`, which is no
escape), in `_leaf_label`, `content_label`, `values_in` and the search of results.
"""

from __future__ import annotations

import pytest
from test_privacy_labels_through_python import mailed

CASES = [("Cafe2024Secure!", "your login: \\uCafe2024Secure!"),
         ("bead.smith@example.org", "write to \\ubead.smith@example.org"),
         ("Face-7741-Gate", "the code is \\uFACE-7741-GATE")]


def test_control_the_value_after_another_stray_backslash_is_denied() -> None:
    assert mailed("Cafe2024Secure!", lambda v: "your login: \\Cafe2024Secure!") == []


@pytest.mark.parametrize(("value", "body"), CASES)
def test_a_value_in_clear_after_a_backslash_u_is_denied(value: str, body: str) -> None:
    assert mailed(value, lambda v: body) == [], f"{body!r} reached Bob"
