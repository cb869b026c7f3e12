"""Red team 90: a world given as a read-only or custom Mapping is read as the Z3 reference reads it."""

from __future__ import annotations

import types
from collections.abc import Mapping

import pytest
from pydantic import BaseModel

from guards._preconditions import Precondition, PreconditionGuard
from guards._sorts import INT
from vfa import GuardContext, Proposal


class Account(BaseModel):
    balance: int


class Bank(BaseModel):
    account: Account


class Frozen(Mapping):
    def __init__(self, d):
        self._d = dict(d)

    def __getitem__(self, k):
        return self._d[k]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)


def _verdicts(world, amount):
    pre = Precondition(["amount <= state.account.balance"], tool="pay", args={"amount": INT}, state=Bank)
    return tuple(PreconditionGuard(pre, backend=b).check(Proposal(call_id="c", tool="pay", args={"amount": amount}),
                                                         GuardContext(world=world)).kind
                 for b in ("fast", "z3"))


WORLDS = {
    "proxy": lambda: types.MappingProxyType({"account": types.MappingProxyType({"balance": 100})}),
    "custom": lambda: Frozen({"account": Frozen({"balance": 100})}),
    "dict-of-proxy": lambda: {"account": types.MappingProxyType({"balance": 100})},
    "proxy-of-dict": lambda: types.MappingProxyType({"account": {"balance": 100}}),
    "dict-of-model": lambda: {"account": Account(balance=100)},
}


@pytest.mark.parametrize("kind", sorted(WORLDS))
def test_mapping_world_fast_agrees_with_z3(kind) -> None:
    """Fixed: a world that is a Mapping but not a dict (MappingProxyType, a custom Mapping) was read by
    attribute on the fast path, so a call the Z3 reference allows was denied ("could not be evaluated");
    likewise a dict holding a model was read with [...] below the dict and denied. Both backends now
    read each level as `read_path` does ([...] on a Mapping, attribute elsewhere) and agree, allowing within the balance and denying beyond it."""
    assert _verdicts(WORLDS[kind](), 50) == ("allow", "allow")
    assert _verdicts(WORLDS[kind](), 500) == ("deny", "deny")


def test_mapping_world_deny_explains_clause() -> None:
    """Fixed: the denial of a Mapping world names the violated clause and its values (not a read error)."""
    pre = Precondition(["amount <= state.account.balance"], tool="pay", args={"amount": INT}, state=Bank)
    v = PreconditionGuard(pre).check(Proposal(call_id="c", tool="pay", args={"amount": 500}),
                                     GuardContext(world=types.MappingProxyType({"account": {"balance": 100}})))
    assert v.kind == "deny" and v.evidence["clauses"] == ["amount <= state.account.balance"]
    assert v.evidence["counterexample"]["state.account.balance"] == 100
