"""An agent-level `PreconditionGuard` that names no tool is refused when the agent compiles.

What must hold: `PreconditionGuard(Precondition([...], tool="pay", ...))` given in `Agent(guards=[...])` without
`tool=` judges every call of every tool (its `tools` is None): each call of another tool is denied because
`amount` is missing, and its own clauses were never linted (`amount > 10` and `amount < 5`, which leave `pay`
no call, compiled clean). `Agent.compile()` refuses it with a `PolicyError` that says to name the tool
(`tool=` or `PreconditionGuard.for_tool`); the same guard given with `tool="pay"` compiles and is linted.

Before, `PreconditionGuard.lint` looked for a tool carrying the guard or named in its `tools`; finding neither, it
returned: the agent compiled, and every `note` call was denied with "could not read a value the precondition
needs: KeyError('amount')".

Fixed: PreconditionGuard.lint raises PolicyError for a guard carried by no tool and naming none (give tool= or
use for_tool).
"""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from guards import Precondition, PreconditionGuard
from guards._sorts import INT
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


@effect
def pay(amount: int) -> str:
    """Pay."""
    return "paid"


@effect
def note(text: str) -> str:
    """Take a note."""
    return "noted"


def _agent(guard: PreconditionGuard) -> Agent:
    return Agent(ScriptedModel([("note", {"text": "hi"}), "ok"]), [pay, note], guards=[guard])


def test_a_guard_naming_no_tool_is_refused() -> None:
    guard = PreconditionGuard(Precondition(["amount > 1000"], tool="pay", args={"amount": INT}))
    with pytest.raises(PolicyError, match="tool="):
        _agent(guard).compile(checkpointer=InMemorySaver())


def test_its_clauses_do_not_escape_the_lint() -> None:
    guard = PreconditionGuard(Precondition(["amount > 10", "amount < 5"], tool="pay", args={"amount": INT}))
    with pytest.raises(PolicyError):
        _agent(guard).compile(checkpointer=InMemorySaver())


def test_named_it_compiles_and_judges_its_tool_alone() -> None:
    guard = PreconditionGuard(Precondition(["amount > 1000"], tool="pay", args={"amount": INT}), tool="pay")
    app = _agent(guard).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "note hi")]}, {"configurable": {"thread_id": "t"}})
    assert out["messages"][2].content == "noted"
    bad = PreconditionGuard(Precondition(["amount > 10", "amount < 5"], tool="pay", args={"amount": INT}), tool="pay")
    with pytest.raises(PolicyError, match="can never hold"):
        _agent(bad).compile(checkpointer=InMemorySaver())
