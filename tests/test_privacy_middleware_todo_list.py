"""A `Command` that writes back only the model's own arguments beside its tool message keeps its update
under a privacy flow (LangChain's `TodoListMiddleware`).

Scenario (honest run): a `create_agent` app with `TodoListMiddleware` and `GuardMiddleware` with a
privacy flow. The model plans with `write_todos`, whose tool returns a `Command` writing the list into
the state (`todos`) and a tool message; then it mails the user.

Expected: the todo list is in the state, as without the flow, and the model reads the tool message as
the flow labelled it. A Command that writes anything else beside its tool message (a value the tool
read or made, or the value a handle stood for) is still shown as the flow's text alone, its update
dropped: the model could be shown it by whatever reads the state.

Before: under a flow the gate took every Command that wrote more than its tool message for one it
cannot show as labelled, and dropped its update: the todo list was never saved.

Fixed: `graphs/_gate.py` `_said` lets a Command write, beside its one tool message, values that are the
call's own arguments as the model wrote them (handles, not values). LangChain's `write_todos` is given
the runtime, so a privacy flow refuses it undeclared (`PolicyError`); `privacy_sink(...)` now declares a
LangChain tool object too, on the function it runs.
"""

from __future__ import annotations

from typing import Any

from _profile_mail import CFG, USER, profile_and_mail
from _web_mail import mail_to
from langchain.agents import AgentState, create_agent
from langchain.agents.middleware import TodoListMiddleware
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from typing_extensions import Annotated, NotRequired

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel

TODOS = [{"content": "mail the plan", "status": "in_progress"}]


class State(AgentState):
    notes: NotRequired[list]
    profile: NotRequired[dict]


def _flow() -> GuardMiddleware:
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"todo")
    return GuardMiddleware([flow.guard()], flow=flow)


def test_the_todo_list_is_saved_under_a_flow_and_the_mail_goes():
    sent: list[Any] = []

    def rule(ms: list[Any]) -> Any:
        n = sum(m.type == "tool" for m in ms)
        if n == 0:
            return AIMessage("", tool_calls=[{"name": "write_todos", "id": "w1", "args": {"todos": TODOS}}])
        if n == 1:
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m1", "args": {"to": USER, "body": "plan"}}])
        return "done"

    todo = TodoListMiddleware()
    # LangChain's tool is given the runtime (for its call id): declared as keeping it, and its list, to itself
    privacy_sink(internal=["runtime", "todos"])(todo.tools[0])
    try:
        app = create_agent(ScriptedModel(rule=rule), [mail_to(sent)], middleware=[todo, _flow()],
                           checkpointer=InMemorySaver())
        out = app.invoke({"messages": [HumanMessage(f"Plan it and mail me at {USER}")]}, CFG)
    finally:  # the declaration is on LangChain's function, shared by every TodoListMiddleware
        del todo.tools[0].func.__vfa_meta__
    assert out["todos"] == TODOS
    assert out["messages"][2].artifact["vfa"]["outcome"] in ("committed", "ran")
    assert "Updated todo list" in str(out["messages"][2].content)
    assert sent == [(USER, "plan")]


def test_control_a_command_writing_what_the_tool_read_is_shown_as_the_flows_text_alone():
    sent: list[Any] = []
    get_profile, send_email, _ = profile_and_mail(sent)

    @tool
    @privacy_source()
    def note(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
        """Keep a note, and the profile beside it."""
        return Command(update={"notes": [text], "profile": get_profile.invoke({}),
                               "messages": [ToolMessage("noted", tool_call_id=tool_call_id)]})

    def rule(ms: list[Any]) -> Any:
        n = sum(m.type == "tool" for m in ms)
        if n == 0:
            return AIMessage("", tool_calls=[{"name": "note", "id": "n1", "args": {"text": "hi"}}])
        return "done"

    app = create_agent(ScriptedModel(rule=rule), [note, get_profile], middleware=[_flow()], state_schema=State,
                       checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("note hi")]}, CFG)
    assert "profile" not in out and "notes" not in out  # the update is dropped whole: the profile is no argument

