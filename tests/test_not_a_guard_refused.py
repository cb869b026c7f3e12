"""What is not a guard is refused where it is given, naming the mistake.

README "Quickstart": "A guard is any object with a `name` and `check(proposal, context) -> ...`; `@vfa.guard`
makes one from a function." A new user's most likely slip is the function without `@guard`. It was accepted by
`Agent`, `compile()`, `GuardChain`, `graphs.ToolGate`, `graphs.GuardMiddleware`, `graphs.guard_tool`,
`@effect(guards=...)` and `annotate(guards=...)`, and then every call of the agent was denied at run time
"by guard 'function': ... has neither check() nor acheck()" (the same for a guard's class given for an instance,
a name, or None). A single guard given without its list (`Agent(model, tools, budget)`) failed with Python's
bare "'FunctionGuard' object is not iterable", naming no argument.

What must hold: each is refused when it is given (a `TypeError` or a `VfaError`), the message naming `guards`
and what was given; what the README documents still builds.

Fixed: guard_list checks the guards wherever they are given (GuardChain, annotate) and names the slip.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import tool

import graphs
from vfa import ALLOW, Agent, Allow, GuardChain, VfaError, annotate, effect, guard
from vfa.testing import ScriptedModel


def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return "paid"


@tool
def search(q: str) -> str:
    """Search."""
    return q


def budget_fn(p, c):  # the user forgot @guard
    return ALLOW


budget = guard(budget_fn, name="budget")


class Limits:
    """A guard class of the user's own."""

    name = "limits"

    def check(self, proposal, context):
        return ALLOW


NOT_GUARDS: dict[str, Any] = {
    "a function without @guard": budget_fn,
    "a guard's class, not an instance": Limits,
    "a verdict's class": Allow,
    "a name": "budget",
    "None": None,
}

BUILDERS: dict[str, Any] = {
    "Agent": lambda gs: Agent(ScriptedModel([]), [pay], gs),
    "GuardChain": lambda gs: GuardChain(gs),
    "ToolGate": lambda gs: graphs.ToolGate(gs),
    "GuardMiddleware": lambda gs: graphs.GuardMiddleware(gs),
    "guard_tool": lambda gs: graphs.guard_tool(search, gs),
    "effect(guards=)": lambda gs: effect(pay, guards=gs),
    "annotate(guards=)": lambda gs: annotate(lambda to: to, guards=gs),
}


@pytest.mark.parametrize("what", list(NOT_GUARDS), ids=list(NOT_GUARDS))
@pytest.mark.parametrize("builder", list(BUILDERS), ids=list(BUILDERS))
def test_what_is_not_a_guard_is_refused_where_it_is_given(builder, what):
    with pytest.raises((TypeError, VfaError)) as caught:
        BUILDERS[builder]([budget, NOT_GUARDS[what]])
    assert "guard" in str(caught.value), caught.value
    assert "neither check() nor acheck()" not in str(caught.value)


def test_a_plain_function_is_told_to_use_the_decorator():
    with pytest.raises((TypeError, VfaError), match="@vfa.guard|@guard"):
        Agent(ScriptedModel([]), [pay], [budget_fn])


@pytest.mark.parametrize("builder", list(BUILDERS), ids=list(BUILDERS))
def test_one_guard_outside_its_list_is_refused_naming_guards(builder):
    with pytest.raises((TypeError, VfaError)) as caught:
        BUILDERS[builder](budget)
    assert "guards" in str(caught.value) and "is not iterable" not in str(caught.value), caught.value


def test_what_is_documented_still_builds():
    class Async:
        name = "async"

        async def acheck(self, proposal, context):
            return ALLOW

    Agent(ScriptedModel([]), [pay], [budget, Limits(), Async()]).compile()
    GuardChain(g for g in [budget])  # an iterable of guards
    graphs.ToolGate([budget])
    graphs.GuardMiddleware([budget, Limits()])
    effect(pay, guards=[budget])
