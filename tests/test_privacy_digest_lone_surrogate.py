"""Red team 93 (observation): a private value holding a lone surrogate (text no UTF-8 can write) made the
keyed digest raise, so an approval's values could not be named. Fixed: the digest writes it as
surrogatepass does, so it is named like any other value, and told apart from its neighbours."""

from __future__ import annotations

from guards._handles import HandleStore


def test_a_lone_surrogate_has_a_digest_of_its_own():
    store = HandleStore(secret=b"t")
    odd = store.digest("code \ud800 7")
    assert odd.startswith("#") and odd == store.digest("code \ud800 7")
    assert odd not in {store.digest("code \ud801 7"), store.digest("code  7"), store.digest("code ? 7")}
