"""An `Agent` runs LangChain tools that take injected arguments as LangGraph's `ToolNode` does.

A LangGraph user's tools take the call's id (`InjectedToolCallId`, often to answer with
`Command(update={"messages": [ToolMessage(..., tool_call_id=tool_call_id)]})`), the graph state
(`InjectedState`), the store (`InjectedStore`) or a `ToolRuntime`. `graphs.guard_graph` over a `ToolNode`
runs them; an `Agent` ran none of them (the call failed: "must always be invoked with a full model
ToolCall", or pydantic's "Field required" for state, store and runtime, naming no injection). Worse, a value
the model wrote under an injected argument's name (`"state": {...}`) reached the tool as the state,
while no guard saw it (guards are shown the model-visible arguments only): the model's word stood in
for the graph's, unjudged.

What must hold, as for a `ToolNode`: the tool is given the call's own id, the node's state, the graph's
store and a runtime; what the model wrote under an injected argument's name is dropped (never given to
the tool, never judged); the guards judge the model's arguments alone; a call answered by a `Command`
holding its one tool message shows that message; a call resumed after a question is run with its own
id; and a privacy flow refuses a tool given state it may disclose, as it does behind a `ToolNode`.

Where: `vfa/_lc_tools.py` `_from_langchain_tool` / `_plain_runs` (invoked `tool.invoke(args)`, plain).

Fixed: `vfa/_injected.py` gives a tool its injected arguments at commit (`injected_runs`, the call's id and
state through `CALLING`, set by the guard node's commit), through the `ToolNode`'s own injection; the
tool's `INJECTED` meta is set for the Agent too, so the privacy flow's lint sees it.
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState, InjectedStore, ToolRuntime
from langgraph.store.memory import InMemoryStore
from langgraph.types import Command

from vfa import ALLOW, Agent, Escalate, PolicyError, guard
from vfa.testing import ScriptedModel

CONFIG = {"configurable": {"thread_id": "t"}}


@tool
def echo_id(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> str:
    """Echo the text with the call's id."""
    return f"{text} from {tool_call_id}"


@tool
def save(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Save the text; answer with a Command, as LangGraph tools do."""
    return Command(update={"messages": [ToolMessage(f"saved {text}", tool_call_id=tool_call_id)]})


@tool
def count(text: str, state: Annotated[dict, InjectedState]) -> str:
    """Count the conversation's messages."""
    return f"{text} n={len(state['messages'])}"


@tool
def stored(text: str, store: Annotated[Any, InjectedStore()]) -> str:
    """Name the store's type."""
    return f"{text} store={type(store).__name__}"


@tool
def with_runtime(text: str, runtime: ToolRuntime) -> str:
    """Say the runtime's call id."""
    return f"{text} rt={runtime.tool_call_id}"


def _run(t: Any, args: dict[str, Any], guards: list[Any] = ()) -> tuple[ToolMessage, list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    @guard
    def spy(p, c):
        seen.append(dict(p.args))
        return ALLOW

    app = Agent(ScriptedModel([(t.name, args)]), [t], guards=[spy, *guards]).compile(
        checkpointer=InMemorySaver(), store=InMemoryStore())
    out = app.invoke({"messages": [HumanMessage("go")]}, CONFIG)
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), seen


@pytest.mark.parametrize(("t", "args", "shown"), [
    (echo_id, {"text": "hi"}, "hi from call_0_0"),
    (save, {"text": "hi"}, "saved hi"),
    (count, {"text": "x"}, "x n=2"),  # the user's message and the model's
    (stored, {"text": "x"}, "x store=InMemoryStore"),
    (with_runtime, {"text": "x"}, "x rt=call_0_0"),
])
def test_the_agent_runs_a_tool_taking_injected_arguments_as_a_tool_node_does(t, args, shown):
    message, seen = _run(t, args)
    assert message.status == "success", message.content
    assert message.content == shown
    assert seen == [args]  # the guards judge the model's arguments alone


@pytest.mark.parametrize(("t", "args", "shown"), [
    (echo_id, {"text": "hi", "tool_call_id": "forged"}, "hi from call_0_0"),
    (count, {"text": "x", "state": {"messages": [1, 2, 3, 4, 5]}}, "x n=2"),
    (with_runtime, {"text": "x", "runtime": {"tool_call_id": "forged"}}, "x rt=call_0_0"),
])
def test_what_the_model_writes_under_an_injected_name_never_reaches_the_tool(t, args, shown):
    message, seen = _run(t, args)
    assert message.content == shown, "the model's value stood in for the injected one"
    assert seen == [{"text": args["text"]}]  # nor is it judged as the model's word


def test_a_call_resumed_after_a_question_is_run_once_with_its_own_id():
    ran: list[str] = []

    @tool
    def note(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> str:
        """Keep a note."""
        ran.append(tool_call_id)
        return f"noted {text}"

    ask = guard(lambda p, c: Escalate(question="keep it?"), name="ask")
    app = Agent(ScriptedModel([("note", {"text": "hi"})]), [note], guards=[ask]).compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [HumanMessage("go")]}, CONFIG)
    assert ran == []
    out = app.invoke(Command(resume={"type": "approve"}), CONFIG)
    assert ran == ["call_0_0"]
    assert [m.content for m in out["messages"] if isinstance(m, ToolMessage)] == ["noted hi"]
    app.invoke(Command(resume={"type": "approve"}), CONFIG)  # replayed from the journal, never run again
    assert ran == ["call_0_0"]


def test_a_privacy_flow_refuses_an_agent_tool_given_state_it_may_disclose():
    from guards import PrivacyFlow, PrivacyPolicy, privacy_sink

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    def mail_log(to: str, body: str, state: Annotated[dict, InjectedState]) -> str:
        """Mail the body, with the conversation."""
        return "sent"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt187")
    with pytest.raises(PolicyError, match="state"):
        Agent(ScriptedModel(["done"]), [mail_log], guards=[flow.guard()], flow=flow).compile()


def test_a_private_record_a_tool_taking_its_call_id_returns_is_shown_as_handles():
    # LangChain writes the dict the tool returns into its message as JSON text: read back as the record
    from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source

    ssn = "078-05-1120"

    @tool
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def profile(tool_call_id: Annotated[str, InjectedToolCallId]) -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": ssn}

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt187")
    app = Agent(ScriptedModel([("profile", {})]), [profile], guards=[flow.guard()], flow=flow).compile(
        checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("go")]}, CONFIG)
    shown = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert shown.status == "success" and ssn not in str(shown.content) and "«ssn:" in str(shown.content)


def test_an_async_tool_taking_its_call_id_and_state_runs_under_ainvoke():
    import asyncio

    from langchain_core.tools import StructuredTool

    async def _note(text: str, tool_call_id: Annotated[str, InjectedToolCallId],
                    state: Annotated[dict, InjectedState]) -> str:
        return f"{text} {tool_call_id} n={len(state['messages'])}"

    note = StructuredTool.from_function(coroutine=_note, name="note", description="Keep a note.")
    app = Agent(ScriptedModel([("note", {"text": "hi", "tool_call_id": "forged"})]), [note]).compile(
        checkpointer=InMemorySaver())
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("go")]}, CONFIG))
    assert [m.content for m in out["messages"] if isinstance(m, ToolMessage)] == ["hi call_0_0 n=2"]
