"""A gated LangChain tool called with a tool call (the `ToolNode` path of `GuardMiddleware` and
`guard_graph`) whose function returns a generator object is journaled `committed` while its work never ran.

The gate runs the raw tool with the call (`tool.invoke(tool_call, config)`), and LangChain turns the output
into the `ToolMessage`'s text (`str(...)`: "<generator object ...>") before the gate sees it, so nothing ever
iterates the generator: the journal records `committed`, the model is told it ran, and the mail is never
sent. Called with plain arguments the gate iterates it inside the commit (control). The `Agent`'s own node
iterates such a result inside its commit (`tests/test_effect_returns_lazy_result.py`).

What must hold: a call the journal records `committed` did its work inside its commit. A stated limit (README,
"Guard an app you already have"): the gate cannot see the result before LangChain formats it; a plain
`ToolNode` never runs that work either.
"""

from __future__ import annotations

import pytest
from langchain_core.tools import StructuredTool

import graphs
from vfa import in_commit


def _tool(log: list[tuple[str, bool]]):
    def send(t: str) -> str:
        log.append((t, in_commit("send_all")))
        return f"sent to {t}"

    def send_all(to: list[str]):
        """Mail each person."""
        return (send(t) for t in to)

    return graphs.guard_tool(graphs.as_effect(StructuredTool.from_function(send_all, name="send_all")))


def test_plain_arguments_run_the_generator_inside_the_commit():
    log: list[tuple[str, bool]] = []
    _tool(log).invoke({"to": ["ann", "bob"]})
    assert log == [("ann", True), ("bob", True)]


@pytest.mark.xfail(strict=True, reason="stated limit: LangChain formats a tool call's lazy result to text before the gate sees it")
def test_a_tool_call_runs_the_generator_inside_the_commit():
    log: list[tuple[str, bool]] = []
    tool = _tool(log)
    message = tool.invoke({"name": "send_all", "args": {"to": ["ann"]}, "id": "c1", "type": "tool_call"})
    kinds = [e.kind for e in tool.gate.journal.entries()]
    assert kinds[-1] == "committed"
    assert log == [("ann", True)], f"committed ({message.content!r}), yet inside its commit it sent {log}"
