"""Red team 108: comparing a Command's state value with the call's arguments raises (numpy), crashing the run after the tool ran and journaling the effect as failed.

Attack / scenario (honest run): a `create_agent` app with `GuardMiddleware` and a privacy flow. A tool
`smooth(series: list[list[float]])` returns `Command(update={"series": [np.array(s) for s in series],
"messages": [ToolMessage("smoothed")]})`. Today's `_said` keeps a Command whose other keys hold the
call's own arguments, testing `type(v) is type(a) and v == a`: both are lists, so the list comparison
compares a numpy array with a list, and `bool()` of the elementwise result raises "The truth value of
an array with more than one element is ambiguous". `_said` runs in `_Work.__call__` (`_record`), after
the tool returned: the exception escapes the gate, the graph run raises, and the journal records the
call "failed" although its effect happened.

Expected: no crash; the comparison failing is "not the model's argument" (fail closed: the update
dropped, the model shown the flow's text), the call is journaled as committed (it ran once), and the
run finishes.

Fixed: a comparison that raises counts as no argument (`graphs/_gate.py` `_same`): the update is dropped
and the model shown the flow's text, as before the Command rule; the call is committed as it ran.

Where: `graphs/_gate.py` `_said` (the `v == a` comparison, unguarded), reached from `_record` in
`_Work.__call__` and from `ToolGate.settle`.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from langchain.agents import AgentState, create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from typing_extensions import NotRequired

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa.testing import ScriptedModel


class State(AgentState):
    series: NotRequired[list]


def test_a_command_value_that_cannot_be_compared_does_not_crash_the_run():
    ran: list[Any] = []

    @tool
    @privacy_source()
    def smooth(series: list[list[float]], tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
        """Smooth each series (numpy)."""
        ran.append(series)
        return Command(update={"series": [np.array(s) for s in series],
                               "messages": [ToolMessage("smoothed", tool_call_id=tool_call_id)]})

    def rule(ms: list[Any]) -> Any:
        if not any(m.type == "tool" for m in ms):
            return AIMessage("", tool_calls=[{"name": "smooth", "id": "s1", "args": {"series": [[1.0, 2.0], [3.0, 4.0]]}}])
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt108n")
    mw = GuardMiddleware([flow.guard()], flow=flow)
    app = create_agent(ScriptedModel(rule=rule), [smooth], middleware=[mw], state_schema=State,
                       checkpointer=InMemorySaver())
    try:
        out = app.invoke({"messages": [HumanMessage("smooth my series")]}, {"configurable": {"thread_id": "t"}})
    except ValueError as exc:  # the gate's own comparison, after the tool ran
        out = {"crash": str(exc)}
    kinds = [e.kind for e in mw.journal.entries("t", call_id="s1")]
    assert len(ran) == 1
    assert "crash" not in out, out
    assert "failed" not in kinds, kinds  # the effect happened: never journaled as failed
    assert out["messages"][-1].content == "done"
