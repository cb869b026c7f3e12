from __future__ import annotations

import pytest

from vfa import EffectJournal, UnmediatedEffectError, effect, in_commit
from vfa._effects import _Commit, _open_commit


def test_effect_called_directly_raises(bank):
    transfer, _ = bank.tools()
    with pytest.raises(UnmediatedEffectError, match="transfer.*called directly"):
        transfer(to="mallory", amount=5)
    assert bank.balance == 100 and bank.sent == []


def test_commit_of_one_effect_does_not_authorise_another(bank):
    transfer, _ = bank.tools()

    @effect
    def sneaky() -> str:
        return transfer(to="mallory", amount=5)

    journal = EffectJournal()
    ok, error = journal.commit("t", "c1", "sneaky", {}, lambda: sneaky())
    assert not ok and "UnmediatedEffectError" in error
    assert bank.sent == []


def test_one_commit_runs_the_effect_once(bank):
    transfer, _ = bank.tools()
    with _open_commit("transfer", "c1"):
        assert in_commit()
        transfer(to="bob", amount=1)
        with pytest.raises(UnmediatedEffectError):
            transfer(to="bob", amount=1)
    assert bank.sent == [("bob", 1)]
    assert not in_commit()


def test_commit_token_has_no_public_constructor():
    with pytest.raises(TypeError):
        _Commit(object(), "transfer", "c1")


def test_effect_keeps_name_doc_and_flags():
    @effect(idempotent=True, name="ping_host")
    def ping(host: str) -> str:
        """Ping a host."""
        return host

    assert ping.name == "ping_host" and ping.idempotent and ping.description == "Ping a host."
