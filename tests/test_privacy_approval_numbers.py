"""An approval "for this recipient" of one account number never covers a second value of the same field
beside it: written plainly, in exponent form (red team 51: the approval's values are not worked out for
a number in exponent form, so the person is asked each time), or without its leading zero (red team 69:
labelling puts one or two leading zeros back, 078-05-1120 written 78-05-1120, and so must what an
approval covers, `PrivacyFlow.values_in`, or the second value reaches the recipient unasked)."""

from __future__ import annotations

import pytest
from _approvals import asked_again

from benchmarks.privacy.world import World
from guards import privacy_source

A = "5550123478"            # approved for Bob
LONG = "8800 4455 6600 0000"  # never approved; 8800445566000000 == 88004455660e5
ZERO = "078-05-1120"        # never approved (an SSN-like account number with a leading zero)


def _run(second: str, second_body: str, *, handle: bool = True) -> tuple[bool, World]:
    """Bob is sent account A, a person approves for Bob, then `second_body` goes to Bob: whether the
    person is asked again, and the world."""

    @privacy_source(private=["number"], kind="acct", handle=handle)
    def list_accounts() -> list:
        """The user's accounts."""
        return [{"name": "a", "number": A}, {"name": "b", "number": second}]

    return asked_again(list_accounts, f"account: {A}", second_body)


def test_control_second_value_written_plainly_is_asked() -> None:
    asked, w = _run(LONG, f"account: {A}, also 8800445566000000")
    assert asked and len(w.sent) == 1


def test_second_value_in_exponent_form_beside_the_approved_one_is_asked() -> None:
    asked, w = _run(LONG, f"account: {A}, also 88004455660e5")
    assert asked and len(w.sent) == 1, [m["body"] for m in w.sent]


def test_control_the_value_without_its_zero_alone_is_asked() -> None:
    asked, w = _run(ZERO, "also 78-05-1120", handle=False)
    assert asked and len(w.sent) == 1


@pytest.mark.parametrize("second", [f"account: {A}, also 78-05-1120", f"account: {A}, also 78051120",
                                    f"account: {A}, also 78,051,120"])
def test_the_value_without_its_zero_beside_the_approved_one_is_asked(second: str) -> None:
    asked, w = _run(ZERO, second, handle=False)
    assert asked and len(w.sent) == 1, [m["body"] for m in w.sent]
