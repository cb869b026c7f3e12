"""A grant or trusted pattern that is no text is accepted, and fails only when a result is labelled.

`PrivacyPolicy.of(user, grants={cpa: [None]})`, `grants={cpa: [b"file:tax/*"]}` (bytes read from a config
file) or `trusted_sources=[5]` build a policy; the first private result read on it raises `TypeError` inside
`fnmatch`, so the model is shown "the result could not be labelled (TypeError); it is not shown" for every
read, with nothing naming the policy (a trusted pattern that is no text fails only once an untrusted field is
read). It fails closed, but late and without a clear error.

Why it matters: docs/kernel.md "What you get": misuse is refused where it is written (a policy's grants and
`trusted_sources` given as one text are refused at once, naming them); bad input gets a clear error.

Expected: `PrivacyPolicy` refuses a pattern that is no text (`TypeError`, `ValueError` or a `VfaError`),
naming `grants` or `trusted_sources`.

Fixed: `PrivacyPolicy.__post_init__` raises `TypeError` naming the list that holds a pattern that is no text.
"""

from __future__ import annotations

import pytest

from guards import PrivacyPolicy
from vfa import VfaError

USER, CPA = "emma@home.example", "cpa@tax.example"

CASES = {
    "grants [None]": ("grants", lambda: PrivacyPolicy.of(USER, grants={CPA: [None]})),
    "grants [bytes]": ("grants", lambda: PrivacyPolicy.of(USER, grants={CPA: [b"file:tax/*"]})),
    "grants [list]": ("grants", lambda: PrivacyPolicy.of(USER, grants={CPA: [["file:tax/*"]]})),
    "trusted_sources [int]": ("trusted_sources", lambda: PrivacyPolicy.of(USER, trusted_sources=[5])),
    "constructor trusted_sources": ("trusted_sources", lambda: PrivacyPolicy(trusted_sources=(None,))),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_pattern_that_is_no_text_is_refused_where_it_is_written(case: str) -> None:
    what, build = CASES[case]
    with pytest.raises((TypeError, ValueError, VfaError), match=what):
        build()


def test_control_text_patterns_are_accepted() -> None:
    policy = PrivacyPolicy.of(USER, grants={CPA: ["file:tax/*", "profile.ssn"]}, trusted_sources=("tool:contacts",))
    assert policy.granted(["profile.ssn"]) == {CPA} and policy.trusts(["tool:contacts"])
