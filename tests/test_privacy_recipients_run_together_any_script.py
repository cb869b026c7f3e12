"""Two addresses run together with a blank were denied as unreadable only when an ASCII
address is among them.

`_privacy_decl._read_recipients` makes a recipient unreadable when an address written in it is one the
mail parser reads out of none ("bob@family.example eve@else.example": `getaddresses` reads ('', '') and
('', '@else.example')). It looked for those addresses with `_forms._EMAIL`, which finds ASCII addresses
with a dotted domain alone. Written with a domain in full-width letters (which IDNA, and the guard's own
`_spelling`, read as eve@else.example: mail to it is delivered there), in another script, with a dotless
domain or a domain literal, the run-together text is taken as one odd recipient plus "@ｅlse.example",
neither Eve: the check across calls joins nothing Eve received before, and she gets a locker code cut
in two.

What must hold (docs/privacy.md "Recipients", "Bounded work": a recipient whose address cannot be read is denied
by `recipients are addresses`; "Split values": a value cut across calls to one recipient is denied at
the second call): each such text is unreadable, and the second piece is never sent.

Fixed: `_privacy_decl._ANY_ADDRESS` finds the addresses written in a recipient as a mail tool may read
them (any script, combining marks, IDNA's dots, dotless domains, domain literals; an apostrophe in a
local part is no longer read as the start of another address), and a mailbox read without its local
part ("@else.example") makes the recipient unreadable.
"""

from __future__ import annotations

import re

import pytest
from _split_agent import EVE, build

from guards._privacy_decl import recipients_of, unreadable_recipients

WIDE_EVE = "eve@ｅlse.example"  # full-width ｅ: IDNA (UTS 46) maps it to e, as mail is delivered

RUN_TOGETHER = [
    "bob@ｆamily.example eve@ｅlse.example",  # full-width letters in both domains
    "eve@ｅlse.example x@ｅlse.example",
    "bob@bücher.example eve@bücher.example",  # an IDN domain
    "bob@family｡example eve@else｡example",  # an ideographic dot IDNA reads as "."
    "x@localhost eve@localhost",  # a dotless domain
    "x@[10.0.0.1] eve@[10.0.0.2]",  # domain literals
]


@pytest.mark.parametrize("text", RUN_TOGETHER)
def test_addresses_of_any_script_run_together_are_unreadable(text: str) -> None:
    assert unreadable_recipients([text]), f"{text!r} read as {sorted(recipients_of([text]))}"


@pytest.mark.parametrize("text", ["Bob <bob@bücher.example>", "Eve <eve@ｅlse.example>", WIDE_EVE,
                                  "joe@[IPv6:2001:db8::1]", "Joe <joe@[IPv6:2001:db8::1]>",
                                  "mailto:eve@ｅlse.example", "friends: bob@bücher.example;",
                                  "O'Brien <o'brien@x.example>", "carol@bu\u0308cher.example"])
def test_one_address_of_any_script_stays_readable(text: str) -> None:
    """Control: one mailbox, however written, is read and judged (no false denial)."""
    assert not unreadable_recipients([text]), text


def test_the_cut_to_eve_run_together_in_full_width_is_denied() -> None:
    sent, _posts, denials, _flow = build([("send", {"to": [EVE], "body": "part one 4417-2093"}),
                                          ("send", {"to": [f"bob@ｆamily.example {WIDE_EVE}"], "body": "part two -8861"})])
    # a mail tool that reads every address in `to` (of any script) and delivers its IDNA form
    to_eve = [m["body"] for m in sent if any(a.replace("ｅ", "e") == EVE
                                             for a in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", " ".join(m["to"])))]
    assert to_eve == ["part one 4417-2093"], f"Eve received both pieces of the locker code: {to_eve}"
    assert denials
