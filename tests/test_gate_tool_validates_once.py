"""Red team 83: a retrofitted ToolNode's tool gets its arguments validated twice; decoding types fail.

`graphs.guard_graph(graph, [flow.guard()], flow=flow)` gates a ToolNode's tools. The gate validates the
model's arguments by the tool's schema (`GuardNode._validate`), and the privacy flow labels those
values; `GatedTool.invoke` then hands the *validated* values back to `tool.invoke`
(`rebuild(args)`), which validates them again by the same schema. A type that decodes its input,
pydantic's `Json[...]` or `Base64Str`, is decoded twice: `Json[dict]` refuses the dict it made
("JSON input should be string"), `Base64Str` decodes the decoded text again. Every call of such a
tool fails under the gate, while the same graph unguarded runs it (`put` stores the note); where the
second decoding succeeds, the tool reads a value the flow never labelled.

Not a documented limit: docs/kernel.md says arguments are validated "so the tool gets, and the audit
reads, the values it was first given (a decoding validator decodes once)", and that a retrofitted
tool "still receives exactly what the ToolNode injected".

Expected: the gated tool receives the arguments as the model wrote them (handles swapped for their
values), validated once by the tool itself, so the guarded graph stores the same note as the
unguarded one.
Fixed: a tool that validates its input itself (`ToolSpec.takes_written`: a LangChain tool) is given the
call as written, handles swapped for their values.
"""

from __future__ import annotations

from typing import Any

from _tool_loop import model_node, tool_loop
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import ToolNode
from pydantic import Base64Str, Json

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import EffectJournal
from vfa.testing import ScriptedModel

POLICY = PrivacyPolicy.of("me@home.example")
ARGS = {"doc": '{"title": "groceries", "items": 3}', "note": "bWlsayBhbmQgZWdncw=="}  # "milk and eggs"


def _run(guarded: bool) -> tuple[list[Any], list[str]]:
    stored: list[Any] = []

    @tool
    @privacy_sink(internal=["doc", "note"])
    @privacy_source()
    def put(doc: Json[dict], note: Base64Str) -> str:
        """Store a document with a note."""
        stored.append((doc, note))
        return "stored"

    model = ScriptedModel([("put", ARGS), "done"])
    b = tool_loop(model_node(model), ToolNode([put]))
    if guarded:
        journal = EffectJournal()
        flow = PrivacyFlow(POLICY, secret=b"rt83-gate", journal=journal)
        app = graphs.guard_graph(b, [flow.guard()], flow=flow, journal=journal)
    else:
        app = b.compile()
    out = app.invoke({"messages": [HumanMessage("Store my grocery list.")]}, {"configurable": {"thread_id": "t"}})
    return stored, [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage)]


def test_a_gated_tool_decodes_its_arguments_once() -> None:
    stored, _ = _run(guarded=False)
    assert stored == [({"title": "groceries", "items": 3}, "milk and eggs")]
    stored, said = _run(guarded=True)
    assert stored == [({"title": "groceries", "items": 3}, "milk and eggs")], said


def test_an_agent_gives_a_langchain_tool_its_arguments_as_written() -> None:
    from vfa import Agent

    stored: list[Any] = []

    @tool
    def put(doc: Json[dict], note: Base64Str) -> str:
        """Store a document with a note."""
        stored.append((doc, note))
        return "stored"

    Agent(ScriptedModel([("put", ARGS), "done"]), [put]).compile().invoke(
        {"messages": [HumanMessage("Store my grocery list.")]}, {"configurable": {"thread_id": "t"}})
    assert stored == [({"title": "groceries", "items": 3}, "milk and eggs")]
