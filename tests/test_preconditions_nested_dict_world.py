"""Red team 145: a world whose record levels are dicts where the state type declares a model.

The fast path reads a world by the declared type (`w["account"].balance` for a TypedDict holding a
model, `w.account.balance` for a model or dataclass), the Z3 reference (`read_path`) by what each level
is: `[...]` on a Mapping, an attribute elsewhere. Red team 90 made a Mapping world be read as the
reference reads it, but left out a TypedDict-rooted state (LangGraph's usual state: a plain dict whose
nested record arrives as a dict, `{"account": {"balance": 100}}`) and an object world holding a dict
(`Bank.model_construct(account={...})`, a dataclass given a dict). There `amount=50` against a balance
of 100 is denied by the fast path ("could not read a value ... 'dict' object has no attribute
'balance'") and allowed by `backend="z3"`: the two backends the docs promise agree give different
verdicts on the same call, and a satisfying call is denied. Expected: both read each level as
`read_path` does, so both allow 50 and deny 500.

Fixed: `Precondition._run` reads an object world by its declared types and, where a read fails, by the
mapping reader `read_path` uses; a mapping world (a TypedDict root too) always by the mapping reader.
`violations()` shares the code.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import BaseModel
from typing_extensions import TypedDict

from guards._preconditions import Precondition, PreconditionGuard
from guards._sorts import INT
from vfa import GuardContext, Proposal


class Account(BaseModel):
    balance: int


class Bank(BaseModel):
    account: Account


class TBank(TypedDict):
    account: Account


@dataclass
class DAccount:
    balance: int


@dataclass
class DBank:
    account: DAccount


def _verdicts(state, world, amount):
    pre = Precondition(["amount <= state.account.balance"], tool="pay", args={"amount": INT}, state=state)
    return tuple(PreconditionGuard(pre, backend=b).check(Proposal(call_id="c", tool="pay", args={"amount": amount}),
                                                         GuardContext(world=world)).kind
                 for b in ("fast", "z3"))


WORLDS = {
    "typeddict-of-dict": (TBank, lambda: {"account": {"balance": 100}}),
    "model-holding-dict": (Bank, lambda: Bank.model_construct(account={"balance": 100})),
    "dataclass-holding-dict": (DBank, lambda: DBank(account={"balance": 100})),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("kind", sorted(WORLDS))
def test_nested_dict_level_is_read_as_the_reference_reads_it(kind) -> None:
    """The fast path and the Z3 reference agree: allow within the balance, deny beyond it."""
    state, make = WORLDS[kind]
    assert _verdicts(state, make(), 50) == ("allow", "allow")
    assert _verdicts(state, make(), 500) == ("deny", "deny")


def test_typeddict_world_denial_names_the_clause() -> None:
    """The denial of a TypedDict world holding a dict names the violated clause and its values, not a read error."""
    pre = Precondition(["amount <= state.account.balance"], tool="pay", args={"amount": INT}, state=TBank)
    v = PreconditionGuard(pre).check(Proposal(call_id="c", tool="pay", args={"amount": 500}),
                                     GuardContext(world={"account": {"balance": 100}}))
    assert v.kind == "deny" and v.evidence["clauses"] == ["amount <= state.account.balance"]
    assert v.evidence["counterexample"]["state.account.balance"] == 100
