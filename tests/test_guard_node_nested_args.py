"""Red team 74: arguments nested just under the JSON encoder's depth limit crashed the guard node.

The node serialised the model's arguments once (refusing a value too deep to write) and journaled them
later, a few frames deeper and wrapped in the entry's own dicts. At depths in between (a band of about
five levels near 940, moving with the stack's depth), the first encoding succeeded and the journal's
raised a bare `RecursionError` out of `EffectJournal.commit`: the run crashed, nothing journaled. Now
arguments nested deeper than `MAX_ARG_DEPTH` levels are denied up front, whatever the stack's depth.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage

from vfa import Agent, effect
from vfa._guard_node import MAX_ARG_DEPTH
from vfa.testing import ScriptedModel


def _nest(n: int) -> Any:
    x: Any = "v"
    for _ in range(n):
        x = [x]
    return x


def _app(ran: list[int]) -> Any:
    @effect
    def store(data: Any) -> str:
        """Store a value."""
        ran.append(1)
        return "ok"

    def rule(messages: list[Any]) -> Any:  # "store N": data nested N levels (the arguments' dict is one more)
        if isinstance(messages[-1], HumanMessage):
            depth = int(str(messages[-1].content).split()[1])
            return AIMessage("", tool_calls=[{"name": "store", "args": {"data": _nest(depth)}, "id": "c1"}])
        return "done"

    return Agent(ScriptedModel(rule=rule), [store]).compile()


def _outcome(app: Any, depth: int) -> tuple[str, str]:
    out = app.invoke({"messages": [HumanMessage(f"store {depth}")]}, {"configurable": {"thread_id": f"t{depth}"}})
    return out["messages"][2].artifact["vfa"]["outcome"], str(out["messages"][2].content)


def test_nesting_at_the_limit_commits_and_past_it_is_denied() -> None:
    ran: list[int] = []
    app = _app(ran)
    assert _outcome(app, MAX_ARG_DEPTH - 1)[0] == "committed" and ran == [1]
    outcome, text = _outcome(app, MAX_ARG_DEPTH)
    assert outcome == "denied" and f"nested over {MAX_ARG_DEPTH} levels" in text and ran == [1]


def test_no_depth_crashes_the_node() -> None:
    ran: list[int] = []
    app = _app(ran)
    for depth in range(850, 1250):  # the band where the journal's encoder, deeper in the stack, gave out
        assert _outcome(app, depth)[0] in ("committed", "denied"), depth  # an answer, never an exception
    assert ran == []  # and past the limit, each was denied
