"""A plain-function tool that runs a chat model puts the values behind handles on the graph's
`messages` stream and in `astream_events`.

docs/privacy.md "Logs": "The model, the graph's streams (`stream_mode` updates, values, messages, debug), its
checkpoints ... show handles only", and for LangChain tools, whose input and output LangChain hands to the
run's callbacks, it advises "give the agent plain functions, whose runs raise no callback events".

A plain function's own run raises none, but the guard node runs it inside the node's LangChain context
(`var_child_runnable_config`, holding the run's callbacks: LangGraph's `StreamMessagesHandler` and the
`astream_events` tracer), so whatever LangChain runnable the function calls reports to the app's run. Here
the effect `send_email` has its body polished by a writing model before sending (a common shape: a drafting
or summarising step inside a tool). The model is shown the SSN as a handle only and passes the handle; the
effect gets the value, as it must, and the writing model's reply, holding the SSN in clear, is emitted on the
outer graph's `stream_mode="messages"` (namespace (), so even without `subgraphs=True`) as an `AIMessage`
a chat UI renders like the agent's own reply; `astream_events` carries it too (`on_chat_model_start` with
the input, `on_chat_model_end`). The state and checkpoints hold handles only (control).

What must hold, as docs/privacy.md words it: no `messages` chunk and no `astream_events` event holds a value the
model holds as a handle, when the tools are plain functions. Either the node runs a tool without the run's
callbacks (cutting what it calls out of the app's LangChain tracing, as docs/privacy.md declined for LangChain
tools), or the "Logs" limit must name this too (anything a tool runs through LangChain: a model, an agent
used as a tool).

Fixed: under a flow the node runs a plain function without the run's callbacks (_without_callbacks); its
configurable stays.
"""

from __future__ import annotations

import asyncio

from langchain_core.messages import HumanMessage

from guards import privacy_sink
from tests._helper_graph_app import CFG, SSN, mail_ssn_app
from vfa import effect
from vfa.testing import ScriptedModel


def _app(sent: list[str]):
    writer = ScriptedModel(rule=lambda ms: f"Dear me, as asked: {ms[-1].content}")

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @effect
    def send_email(to: str, body: str) -> str:
        """Send a mail, its text polished by a writing model first."""
        sent.append(writer.invoke([HumanMessage(body)]).content)
        return "sent"

    return mail_ssn_app(send_email)[0]


def test_messages_stream_holds_no_value_behind_a_handle_with_plain_function_tools():
    sent: list[str] = []
    app = _app(sent)
    chunks = list(app.stream({"messages": [HumanMessage("mail me my ssn")]}, CFG, stream_mode=["messages", "values"]))
    assert sent == [f"Dear me, as asked: {SSN}"]  # the effect got the value, as it must
    state = app.get_state(CFG).values["messages"]
    assert "«ssn:" in state[2].content and SSN not in repr(state)  # the state holds handles only
    leaked = [(mode, type(chunk[0]).__name__, chunk[1].get("langgraph_node")) for mode, chunk in chunks
              if mode == "messages" and SSN in repr(chunk[0])]
    assert leaked == [], f"the messages stream shows the SSN the model holds as a handle: {leaked}"


def test_astream_events_hold_no_value_behind_a_handle_with_plain_function_tools():
    sent: list[str] = []
    app = _app(sent)

    async def run():
        return [e async for e in app.astream_events({"messages": [HumanMessage("mail me my ssn")]}, CFG, version="v2")]

    events = asyncio.run(run())
    assert sent == [f"Dear me, as asked: {SSN}"]
    leaked = sorted({(e["event"], e["name"]) for e in events if SSN in repr(e.get("data"))})
    assert leaked == [], f"astream_events show the SSN the model holds as a handle: {leaked}"


def test_an_async_effect_running_a_model_raises_no_event_holding_the_value():
    """The same through an async effect awaited on the caller's loop (`astream_events`)."""
    writer = ScriptedModel(rule=lambda ms: f"Dear me, as asked: {ms[-1].content}")
    sent: list[str] = []

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @effect
    async def send_email(to: str, body: str) -> str:
        """Send a mail, its text polished by a writing model first."""
        sent.append((await writer.ainvoke([HumanMessage(body)])).content)
        return "sent"

    app = mail_ssn_app(send_email)[0]

    async def run():
        return [e async for e in app.astream_events({"messages": [HumanMessage("mail me")]}, CFG, version="v2")]

    events = asyncio.run(run())
    assert sent == [f"Dear me, as asked: {SSN}"]
    assert sorted({(e["event"], e["name"]) for e in events if SSN in repr(e.get("data"))}) == []
