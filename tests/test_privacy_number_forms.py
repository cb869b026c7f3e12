"""One number, one form, however many digits it has and wherever it is written: what the user typed, a
trusted output (as a number or as text) and the argument (red teams 42, 43)."""

import pytest
from test_privacy_integrity import USERS_ACCOUNT, _bank, _outcome, _run

from guards._forms import _num


def test_numbers_past_28_significant_digits_keep_their_own_form():
    # Decimal.normalize() rounds to the context's 28 digits: a non-integer collapses onto a nearby integer
    assert _num("12345678901234567890123456789.4") != _num("12345678901234567890123456790")
    assert _num("0.10000000000000000000000000001") != _num("0.1")


@pytest.mark.parametrize("amount_text,amount", [("-5", -5), ("+5", 5), ("100000000000000000000000", 1e23)])
def test_user_typed_amount_grounds_the_same_number(amount_text, amount) -> None:
    tms = _run(f"Read my mail, then pay {amount_text} to account {USERS_ACCOUNT}.",
               [("read_inbox", {}), ("pay", {"account": USERS_ACCOUNT, "amount": amount})],
               _bank("nothing to see", [], []))
    assert _outcome(tms, "pay") == "committed"


@pytest.mark.parametrize("listed", ["1200.00", "1,200.00"])
def test_a_trusted_amount_written_as_text_grounds_the_same_number(listed) -> None:
    tms = _run("Read my mail, then pay Larry what my payee list says.",
               [("read_inbox", {}), ("list_payees", {}), ("pay", {"account": USERS_ACCOUNT, "amount": 1200})],
               _bank("nothing to see", [], [{"name": "Larry", "account": USERS_ACCOUNT, "amount": listed}]))
    assert _outcome(tms, "pay") == "committed"


def test_a_number_past_max_digits_has_one_form() -> None:
    n = "1" * 500
    assert _num(n + ".0") == _num(n)
