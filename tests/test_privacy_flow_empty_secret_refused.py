"""A `PrivacyFlow` given an empty secret made every handle's HMAC key known to anyone.

`secret=os.environ.get("VFA_SECRET", "").encode()` with the setting left unset gives `b""`, which was
accepted: the handles and record-key digests were then computed with an empty key, the same in every
deployment, as if no key were given at all though the app meant to give one.

Fixed: an empty secret is a `ConfigError` naming it; None still draws a random key.
"""

from __future__ import annotations

import pytest

from guards import PrivacyFlow, PrivacyPolicy
from vfa import ConfigError


@pytest.mark.parametrize("secret", [b"", bytearray()])
def test_an_empty_secret_is_refused(secret: bytes) -> None:
    with pytest.raises(ConfigError, match="secret is empty"):
        PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=secret)


def test_no_secret_draws_a_random_key_and_a_given_one_is_kept() -> None:
    policy = PrivacyPolicy.of("me@home.example")
    a, b = PrivacyFlow(policy), PrivacyFlow(policy)
    assert a.store.token("t", "c", "$", "x") != b.store.token("t", "c", "$", "x")
    same = PrivacyFlow(policy, secret=b"k"), PrivacyFlow(policy, secret=b"k")
    assert same[0].store.token("t", "c", "$", "x") == same[1].store.token("t", "c", "$", "x")
