"""A retrofitted ToolNode runs a turn's calls one after another: a person's answer reaches the call it
was asked about, whoever asks (a guard, or a tool's own `interrupt()`), sync or async, and no call
waits for a call that never comes."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import Command, interrupt
from test_privacy_echo import _react_graph

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, ConfigError, Escalate, guard
from vfa.testing import ScriptedModel

ME, ALICE, MALLORY = "me@home.example", "alice@work.example", "mallory@evil.example"


def _mail_app(sent: list[str], *, slow_first: bool) -> Any:
    """Two sends in one turn, each needing a person's approval; the first (to Alice, what the user
    asked for) is slower to label, so without an order the second asks first."""

    @tool
    @privacy_source(private=["phone", "ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "phone": "+1 555 0142 77", "ssn": "078-05-1120"}

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append(to)
        return "sent"

    padding = " ".join(f"w{i}x" for i in range(3000)) if slow_first else ""

    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return ("get_profile", {})
        if len(results) == 1:
            p = json.loads(results[0].content)
            return AIMessage("", tool_calls=[
                {"name": "send_email", "id": "a", "args": {"to": ALICE, "body": f"my phone is {p['phone']} {padding}"}},
                {"name": "send_email", "id": "b", "args": {"to": MALLORY, "body": f"ssn {p['ssn']}"}}])
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME, on_violation="ask"))
    return graphs.guard_graph(_react_graph(rule, [get_profile, send_email]), [flow.guard()], flow=flow,
                              read_only=["get_profile"], checkpointer=InMemorySaver())


def _asked(out: dict[str, Any]) -> list[str]:
    return [i.value.get("args", {}).get("to") or i.value.get("question", "") for i in out.get("__interrupt__", [])]


def test_an_approval_answers_the_call_it_was_asked_about_with_the_calls_run_at_once():
    sent: list[str] = []
    app = _mail_app(sent, slow_first=True)
    for k in range(3):
        sent.clear()
        cfg = {"configurable": {"thread_id": f"t{k}"}}  # no max_concurrency: the ToolNode's own pool
        out = app.invoke({"messages": [HumanMessage(f"Send my phone number to {ALICE}")]}, cfg)
        assert _asked(out) == [ALICE]  # the model's first call is asked about first
        out = app.invoke(Command(resume={"type": "approve"}), cfg)
        assert _asked(out) == [MALLORY]
        out = app.invoke(Command(resume={"type": "reject"}), cfg)
        assert sent == [ALICE] and "__interrupt__" not in out


def test_an_approval_answers_the_call_it_was_asked_about_in_an_async_tool_node():
    sent: list[str] = []
    app = _mail_app(sent, slow_first=True)

    async def go(k: int) -> None:
        cfg = {"configurable": {"thread_id": f"a{k}"}}
        out = await app.ainvoke({"messages": [HumanMessage(f"Send my phone number to {ALICE}")]}, cfg)
        assert _asked(out) == [ALICE]
        out = await app.ainvoke(Command(resume={"type": "approve"}), cfg)
        assert _asked(out) == [MALLORY]
        await app.ainvoke(Command(resume={"type": "reject"}), cfg)

    for k in range(3):
        sent.clear()
        asyncio.run(go(k))
        assert sent == [ALICE]


class _DelegatingToolNode(ToolNode):
    """An app's own ToolNode that runs its turns as the ToolNode does (a subclass's `_func`)."""

    def _func(self, input, config, runtime):  # type: ignore[override]
        return super()._func(input, config, runtime)


@pytest.mark.parametrize("node", [ToolNode, _DelegatingToolNode])
def test_a_tools_own_question_and_a_guards_question_in_one_turn_keep_their_answers(node: type):
    deleted: list[str] = []
    paid: list[int] = []

    @tool
    def delete_file(path: str) -> str:
        """Delete a file, after asking the person itself."""
        time.sleep(0.05)  # slower to reach its question than the payment next to it
        if interrupt({"question": f"really delete {path}?"}) != "yes":
            return "kept"
        deleted.append(path)
        return "deleted"

    @tool
    def pay(amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    @guard
    def confirm_payments(p, c):
        return Escalate(question=f"pay {p.args['amount']}?") if p.tool == "pay" else ALLOW

    calls = [{"name": "delete_file", "id": "d", "args": {"path": "/tmp/x"}},
             {"name": "pay", "id": "p", "args": {"amount": 900}}]
    app = _graph(_scripted(calls), node([delete_file, pay]), guards=[confirm_payments])
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "clean up and pay")]}, cfg)
    assert _asked(out) == ["really delete /tmp/x?"]
    out = app.invoke(Command(resume="yes"), cfg)  # meant for the deletion
    assert _asked(out) == ["pay 900?"]
    out = app.invoke(Command(resume={"type": "reject"}), cfg)  # meant for the payment
    assert deleted == ["/tmp/x"] and paid == [] and "__interrupt__" not in out


def _two_calls_app(first: dict[str, Any], tools: list[Any], **node_kwargs: Any) -> Any:
    @tool
    def pay(amount: int) -> str:
        """Pay."""
        return "paid"

    @guard
    def confirm_payments(p, c):
        return Escalate(question="pay?") if p.tool == "pay" else ALLOW

    calls = [first, {"name": "pay", "id": "p", "args": {"amount": 5}}]
    model = ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=calls) if not any(m.type == "tool" for m in ms) else "done")
    b = tool_loop(model_node(model), ToolNode([*tools, pay], **node_kwargs))
    return graphs.guard_graph(b, [confirm_payments], checkpointer=InMemorySaver())


@pytest.mark.parametrize("case", ["unknown tool", "answered by the user's wrapper", "the tool raises"])
def test_a_call_that_never_reaches_the_gate_does_not_hold_up_the_next(case: str):
    @tool
    def lookup(q: str) -> str:
        """Look up."""
        raise RuntimeError("down")

    def answer_lookups(request: Any, execute: Any) -> Any:
        from langchain_core.messages import ToolMessage

        if request.tool_call["name"] == "lookup":  # never hands the call on
            return ToolMessage("cached", tool_call_id=request.tool_call["id"], name="lookup")
        return execute(request)

    first = {"name": "nosuch" if case == "unknown tool" else "lookup", "id": "l", "args": {"q": "x"}}
    kwargs: dict[str, Any] = {"handle_tool_errors": True}
    if case == "answered by the user's wrapper":
        kwargs["wrap_tool_call"] = answer_lookups
    app = _two_calls_app(first, [lookup], **kwargs)
    cfg = {"configurable": {"thread_id": "t"}}
    done: list[Any] = []
    runner = threading.Thread(target=lambda: done.append(app.invoke({"messages": [("user", "go")]}, cfg)), daemon=True)
    runner.start()
    runner.join(10)
    assert done, "the second call waited for the first, which never came"
    assert _asked(done[0]) == ["pay?"]


def test_a_send_of_one_call_is_a_turn_of_its_own():
    # create_agent sends each call to the tool node as its own task: each asks in its own task
    from langchain.agents import create_agent

    @tool
    def pay(amount: int) -> str:
        """Pay."""
        return "paid"

    @guard
    def confirm(p, c):
        return Escalate(question=f"pay {p.args['amount']}?")

    calls = [{"name": "pay", "id": "p1", "args": {"amount": 1}}, {"name": "pay", "id": "p2", "args": {"amount": 2}}]
    model = ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=calls) if not any(m.type == "tool" for m in ms) else "done")
    app = graphs.guard_graph(create_agent(model, [pay]), [confirm], checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    t0 = time.perf_counter()
    out = app.invoke({"messages": [("user", "pay")]}, cfg)
    assert time.perf_counter() - t0 < 5
    assert sorted(_asked(out)) == ["pay 1?", "pay 2?"]


def _question(out: dict[str, Any]) -> list[str]:
    return [i.value.get("question", "") for i in out.get("__interrupt__", [])]


def _graph(agent: Any, node: Any, *, guards: list[Any], route: Any = tools_condition, **options: Any) -> Any:
    b = StateGraph(MessagesState)
    b.add_node("agent", agent)
    b.add_node("tools", node)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", route)
    b.add_edge("tools", "agent")
    return graphs.guard_graph(b, guards, checkpointer=InMemorySaver(), **options)


def _scripted(calls: list[dict[str, Any]]) -> Any:
    model = ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=calls) if not any(m.type == "tool" for m in ms) else "done")
    return lambda state: {"messages": [model.invoke(state["messages"])]}


@guard
def ask_pay_and_mail(p, c):
    return Escalate(question=f"{p.tool}?") if p.tool in ("pay", "mail", "transfer") else ALLOW


def test_the_calls_after_one_that_asks_wait_for_the_answer():
    # as in vfa's own Agent: nothing after the asking call runs before the person answers, so a tool that
    # asks itself in between keeps its place, and each answer reaches its own call
    log: list[Any] = []

    @tool
    def pay(amount: int) -> str:
        """Pay."""
        log.append("pay")
        return "paid"

    @tool
    def delete(path: str) -> str:
        """Delete; asks the person itself."""
        log.append(("delete", interrupt({"question": f"delete {path}?"})))
        return "deleted"

    @tool
    def mail(to: str) -> str:
        """Mail."""
        log.append("mail")
        return "sent"

    calls = [{"name": "pay", "id": "p", "args": {"amount": 5}}, {"name": "delete", "id": "d", "args": {"path": "/x"}},
             {"name": "mail", "id": "m", "args": {"to": MALLORY}}]
    app = _graph(_scripted(calls), ToolNode([pay, delete, mail]), guards=[ask_pay_and_mail])
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "go")]}, cfg)
    assert _question(out) == ["pay?"] and log == []
    out = app.invoke(Command(resume={"type": "approve"}), cfg)
    assert _question(out) == ["delete /x?"] and log == ["pay"]
    out = app.invoke(Command(resume="yes"), cfg)
    assert _question(out) == ["mail?"]
    out = app.invoke(Command(resume={"type": "reject"}), cfg)
    assert "__interrupt__" not in out and log == ["pay", ("delete", "yes")]


def test_async_the_calls_after_one_that_asks_do_not_run_in_the_background():
    # asyncio.gather returns at the first interrupt without cancelling the others: they must not go on
    # after the run, where a prompt answer would meet a half-done write-ahead record
    paid: list[int] = []

    @tool
    async def transfer(amount: int) -> str:
        """Transfer."""
        return "moved"

    @tool
    async def pay(amount: int) -> str:
        """Pay."""
        await asyncio.sleep(0.3)
        paid.append(amount)
        return "paid"

    calls = [{"name": "transfer", "id": "t", "args": {"amount": 1}}, {"name": "pay", "id": "p", "args": {"amount": 2}}]
    app = _graph(_scripted(calls), ToolNode([transfer, pay]), guards=[ask_pay_and_mail])

    async def go() -> list[list[str]]:
        cfg = {"configurable": {"thread_id": "t"}}
        first = await app.ainvoke({"messages": [("user", "go")]}, cfg)
        await asyncio.sleep(0.5)  # a background run of pay would be done by now
        assert paid == []
        second = await app.ainvoke(Command(resume={"type": "approve"}), cfg)
        return [_question(first), _question(second)]

    assert asyncio.run(go()) == [["transfer?"], ["pay?"]]
    assert paid == []


def _within(fn: Any, seconds: float = 10) -> list[Any]:
    done: list[Any] = []
    runner = threading.Thread(target=lambda: done.append(fn()), daemon=True)
    runner.start()
    runner.join(seconds)
    return done


def test_one_call_object_twice_in_a_turn_is_refused_not_waited_for():
    @tool
    def pay(amount: int) -> str:
        """Pay."""
        return "paid"

    call = {"name": "pay", "args": {"amount": 1}, "id": "p1", "type": "tool_call"}

    def agent(state: Any) -> Any:
        if any(m.type == "tool" for m in state["messages"]):
            return {"messages": [AIMessage("done")]}
        message = AIMessage("", tool_calls=[call])
        message.tool_calls = [call, call]  # one object in two places
        return {"messages": [message]}

    app = _graph(agent, ToolNode([pay]), guards=[])
    done = _within(lambda: app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}}))
    assert done, "the second place waited for the first"
    assert all("more than once" in m.content for m in done[0]["messages"] if m.type == "tool")


def test_a_tool_node_that_runs_only_some_of_the_turns_calls_is_not_held_up():
    from langchain_core.messages import ToolMessage

    class SkipAnswered(ToolNode):
        def _func(self, input, config, runtime):  # type: ignore[override]
            answered = {m.tool_call_id for m in input["messages"] if isinstance(m, ToolMessage)}
            last = next(m for m in reversed(input["messages"]) if isinstance(m, AIMessage))
            rest = last.model_copy(update={"tool_calls": [c for c in last.tool_calls if c["id"] not in answered]})
            return super()._func({**input, "messages": [*input["messages"], rest]}, config, runtime)

    @tool
    def pay(amount: int) -> str:
        """Pay."""
        return "paid"

    calls = [{"name": "pay", "id": "a", "args": {"amount": 1}}, {"name": "pay", "id": "b", "args": {"amount": 2}}]

    def agent(state: Any) -> Any:
        if any(m.type == "tool" for m in state["messages"][1:] if getattr(m, "tool_call_id", "") == "b"):
            return {"messages": [AIMessage("done")]}
        return {"messages": [AIMessage("", tool_calls=calls), ToolMessage("cached", tool_call_id="a", name="pay")]}

    app = _graph(agent, SkipAnswered([pay]), guards=[],
                 route=lambda s: "tools" if s["messages"][-1].type == "tool" else "__end__")
    done = _within(lambda: app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}}))
    assert done, "call b waited for call a, which this node never runs"


def test_a_tool_node_behind_with_retry_is_guarded_and_never_retries_an_interrupt():
    ran: list[int] = []

    @tool
    def wire(amount: int) -> str:
        """Wire money."""
        ran.append(amount)
        return "wired"

    calls = [{"name": "wire", "id": "w", "args": {"amount": 1}}]

    @guard
    def ask(p, c):
        return Escalate(question="wire?")

    with pytest.raises(ConfigError, match="retries every Exception"):  # it would retry the interrupt itself
        _graph(_scripted(calls), ToolNode([wire]).with_retry(), guards=[ask])
    app = _graph(_scripted(calls), ToolNode([wire]).with_retry(retry_if_exception_type=(TimeoutError,)), guards=[ask])
    out = app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
    assert ran == [] and _question(out) == ["wire?"]
    assert graphs.unmediated_nodes(_graph_builder_with(ToolNode([wire]).with_retry())) == [
        ("tools", graphs.unmediated_nodes(_graph_builder_with(ToolNode([wire])))[0][1])]


def _graph_builder_with(node: Any) -> StateGraph:
    b = StateGraph(MessagesState)
    b.add_node("tools", node)
    b.add_edge(START, "tools")
    return b
