"""Numbers keep one exact form each, however many digits they have (red team 42)."""

from guards._forms import _num


def test_numbers_past_28_significant_digits_keep_their_own_form():
    # Decimal.normalize() rounds to the context's 28 digits: a non-integer collapses onto a nearby integer
    assert _num("12345678901234567890123456789.4") != _num("12345678901234567890123456790")
    assert _num("0.10000000000000000000000000001") != _num("0.1")
