"""A plain-function tool that runs a LangGraph helper graph has the values behind handles kept in the
app's checkpointer.

docs/privacy.md "Logs": "the graph's streams ..., its checkpoints ... show handles only". A graph invoked inside a
tool (a drafting step, a small agent used by the tool) compiled without a checkpointer of its own inherits
the app's (LangGraph's `__pregel_checkpointer` in the configurable the node keeps), so its state and writes,
holding the SSN the effect was given for a handle, are checkpointed under its namespace ("tools:<task>").

What must hold: with plain-function tools under a flow, no checkpoint of the app's checkpointer holds a
value the model holds as a handle (or docs/privacy.md's "Logs" states it as a limit: a graph a tool runs
checkpoints what it is given into the app's checkpointer).

A stated limit (docs/privacy.md "Logs"): the inner graph needs the app's checkpointer to resume after a question;
one compiled with `checkpointer=False` keeps nothing there (the second test).
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage

import pytest

from tests._helper_graph_app import CFG, SSN, helper_app


def _leaked(checkpointer):
    sent: list[str] = []
    app, saver = helper_app(sent, checkpointer)
    app.invoke({"messages": [HumanMessage("mail me my ssn")]}, CFG)
    assert sent == [f"Dear me: {SSN}"]
    leaked = sorted({ns for (_, ns, _), writes in saver.writes.items() for w in writes.values()
                     if SSN in repr(saver.serde.loads_typed(w[2]))})
    leaked += sorted({ns for stored in saver.storage.values() for ns, cps in stored.items()
                      for cp, _, _ in cps.values() if SSN in repr(saver.serde.loads_typed(cp))})
    return leaked


@pytest.mark.xfail(strict=True, reason="stated limit: a graph a tool runs keeps its state in the app's checkpointer")
def test_a_helper_graph_run_by_a_plain_tool_checkpoints_no_value_behind_a_handle():
    leaked = _leaked(None)
    assert leaked == [], f"the checkpointer keeps the SSN the model holds as a handle under {leaked}"


def test_a_helper_graph_compiled_with_checkpointer_false_keeps_nothing_in_the_apps():
    """The docs/privacy.md's way out: a graph compiled with `checkpointer=False` keeps no state in the app's."""
    assert _leaked(False) == []
