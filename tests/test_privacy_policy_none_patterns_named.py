"""A policy given `None` (or no mapping) where patterns or grants belong fails with an error naming nothing.

The policy was made to read people alike however it is built (`PrivacyPolicy(...)` or
`PrivacyPolicy.of(...)`), and its checks name what is wrong ("grants['a@b.com'] must be a list of
patterns (text), not one holding 1", "user must be the user's address or a list of addresses, not
None"). Three gaps are left in `__post_init__`: `grants={"cpa@tax.example": None}` (a reader whose
patterns were not filled in yet) and `trusted_sources=None` fail inside `_names`/iteration with
"TypeError: 'NoneType' object is not iterable", and `PrivacyPolicy(grants=None)` (or a list of pairs)
with "AttributeError: 'NoneType' object has no attribute 'items'", which `PrivacyPolicy.of` turns
into a clear TypeError. Fail closed holds (nothing is built), but bad input must get a clear error
naming the setting.

Expected: a TypeError (or ConfigError) naming `grants`/`trusted_sources`, from either constructor.

Fixed: one reader of a policy's pattern lists (`_patterns`), which reads each list once and names the
setting, and the kinds of the user and grants checked in `__post_init__`, which `of` hands everything to.
"""

from __future__ import annotations

import pytest

from guards import PrivacyPolicy


@pytest.mark.parametrize("make", [PrivacyPolicy, PrivacyPolicy.of], ids=["init", "of"])
@pytest.mark.parametrize(("given", "named"), [
    ({"grants": {"cpa@tax.example": None}}, "grants"),
    ({"trusted_sources": None}, "trusted_sources"),
    ({"grants": [("cpa@tax.example", ["profile.ssn"])]}, "grants"),
])
def test_bad_patterns_or_grants_are_refused_by_name(make, given, named) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        make(**given)
    assert named in str(info.value), f"{type(info.value).__name__}: {info.value}"


def test_grants_none_is_refused_by_name() -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        PrivacyPolicy(grants=None)
    assert "grants" in str(info.value), f"{type(info.value).__name__}: {info.value}"
