"""Regressions from the review of the retrofit layer: tool names in a gate, unthreaded runs, coverage."""

from __future__ import annotations

import asyncio
import functools
import operator
from typing import Any

import pytest
from _mediation import one_node
from _tool_loop import ask_human_tool
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

import graphs
from vfa import ALLOW, ConfigError, CoverageError, Deny, annotate, guard


@guard
def allow_all(p, c):
    return ALLOW


@guard
def never(p, c):
    return Deny(reason="external sends are forbidden")


def send_tools(sent: list[str]):
    @tool("send")
    def send_external(to: str) -> str:
        """Send outside."""
        sent.append(f"external:{to}")
        return "sent"

    @tool("send")
    def send_internal(to: str) -> str:
        """Send inside."""
        sent.append(f"internal:{to}")
        return "sent"

    ext = graphs.as_effect(send_external)
    annotate(ext.func, guards=[never])
    return ext, graphs.as_effect(send_internal)


def one_step_graph(tool_node: ToolNode, calls: list[dict[str, Any]]) -> StateGraph:
    """model -> tools -> END, the model proposing `calls` (the same call ids on every run)."""

    def model(state: MessagesState) -> dict[str, Any]:
        who = state["messages"][-1].content
        return {"messages": [AIMessage("", tool_calls=[
            {**c, "args": {k: who if v == "$user" else v for k, v in c["args"].items()}, "type": "tool_call"}
            for c in calls])]}

    b = StateGraph(MessagesState)
    b.add_node("model", model)
    b.add_node("tools", tool_node)
    b.add_edge(START, "model")
    b.add_edge("model", "tools")
    b.add_edge("tools", END)
    return b


# -- 1. one name, one tool per gate ----------------------------------------------------------------


def test_a_second_tool_with_a_taken_name_is_refused_and_the_first_keeps_its_guards():
    sent: list[str] = []
    ext, internal = send_tools(sent)
    gate = graphs.ToolGate([])
    gated_ext = graphs.guard_tool(ext, gate=gate)
    assert gated_ext.invoke({"to": "x@evil"}).status == "error"
    with pytest.raises(ConfigError, match="'send'"):
        graphs.guard_tool(internal, gate=gate)
    assert gated_ext.invoke({"to": "x@evil"}).status == "error"  # still checked with its own guard
    assert sent == []
    assert graphs.guard_tool(ext, gate=gate) is gated_ext  # the same tool again: the same wrapper


def test_guarding_two_tool_nodes_with_same_named_tools_on_one_gate_is_a_config_error():
    ext, internal = send_tools([])
    gate = graphs.ToolGate([])
    graphs.guard_graph(one_step_graph(ToolNode([ext]), []), gate=gate)
    graphs.guard_graph(one_step_graph(ToolNode([ext]), []), gate=gate)  # the same tool object: fine
    with pytest.raises(ConfigError, match="'send'"):
        graphs.guard_graph(one_step_graph(ToolNode([internal]), []), gate=gate)
    with pytest.raises(ConfigError, match="'send'"):
        gate.register_node("send")


def test_a_tool_is_registered_and_wrapped_once_not_per_request():
    class CountingGate(graphs.ToolGate):
        registered = 0

        def register(self, tool: Any) -> Any:
            CountingGate.registered += 1
            return super().register(tool)

    sent: list[str] = []
    _, internal = send_tools(sent)
    gate = CountingGate([])
    calls = [{"name": "send", "args": {"to": f"u{i}"}, "id": f"c{i}"} for i in range(4)]
    g = graphs.guard_graph(one_step_graph(ToolNode([internal]), calls), gate=gate)
    for run in range(2):
        g.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": f"t{run}"}})
    assert len(sent) == 8
    assert CountingGate.registered == 1  # at guard time; requests reuse the gate's one wrapper


def test_guards_see_the_graph_state_of_the_call_sync_and_async():
    seen: list[str] = []

    @guard
    def user_of(p, c):
        seen.append(c.state["messages"][0].content)
        return ALLOW

    _, internal = send_tools([])
    calls = [{"name": "send", "args": {"to": "$user"}, "id": "c0"}, {"name": "send", "args": {"to": "x"}, "id": "c1"}]
    g = graphs.guard_graph(one_step_graph(ToolNode([internal]), calls), [user_of])
    g.invoke({"messages": [("user", "ann")]})
    asyncio.run(g.ainvoke({"messages": [("user", "bo")]}))
    assert seen == ["ann", "ann", "bo", "bo"]


# -- 2. runs without a thread id -------------------------------------------------------------------


def _unthreaded(mode: str) -> None:
    ran: list[tuple[str, int]] = []

    @tool
    def transfer(to: str, amount: int) -> str:
        """Pay."""
        ran.append((to, amount))
        return f"paid {amount} to {to}"

    calls = [{"name": "transfer", "args": {"to": "$user", "amount": 5}, "id": "call_0"},
             {"name": "transfer", "args": {"to": "$user", "amount": 6}, "id": "call_1"}]
    gate = graphs.ToolGate([allow_all])
    g = graphs.guard_graph(one_step_graph(ToolNode([graphs.as_effect(transfer)]), calls), gate=gate)
    answers = []
    for user in ("alice", "bob"):
        inp = {"messages": [("user", user)]}
        out = g.invoke(inp) if mode == "sync" else asyncio.run(g.ainvoke(inp))
        answers.append([m.content for m in out["messages"][-2:]])
    # the second run's call ids are the first's: they must not be answered from the first run
    assert answers == [["paid 5 to alice", "paid 6 to alice"], ["paid 5 to bob", "paid 6 to bob"]]
    assert sorted(ran) == [("alice", 5), ("alice", 6), ("bob", 5), ("bob", 6)]
    threads = [e.thread_id for e in gate.journal.entries()]
    first, second = threads[:len(threads) // 2], threads[len(threads) // 2:]
    # one key per node run (its parallel calls share it, so guards see one history), never shared
    assert len(set(first)) == 1 and len(set(second)) == 1 and first[0] != second[0]
    assert first[0].startswith("unthreaded-")


def test_runs_without_a_thread_id_do_not_share_the_journal_sync():
    _unthreaded("sync")


def test_runs_without_a_thread_id_do_not_share_the_journal_async():
    _unthreaded("async")


def test_an_effect_node_without_a_thread_id_runs_on_every_run():
    runs: list[int] = []

    def act(state: MessagesState) -> dict[str, Any]:
        runs.append(1)
        return {}

    b = StateGraph(MessagesState)
    b.add_node("act", act)
    b.add_edge(START, "act")
    b.add_edge("act", END)
    g = graphs.guard_graph(b, [allow_all], effect_nodes=["act"])
    g.invoke({"messages": []})
    g.invoke({"messages": []})
    assert runs == [1, 1]


# -- 4. a tool that calls interrupt() itself -------------------------------------------------------


@pytest.mark.parametrize("read_only", [False, True])
def test_a_tool_that_interrupts_itself_resumes_once_effect_or_read_only(read_only: bool):
    runs: list[str] = []

    ask_human = ask_human_tool(runs)

    calls = [{"name": "ask_human", "args": {"question": "ok?"}, "id": "c0"}]
    gate = graphs.ToolGate([allow_all], read_only=["ask_human"] if read_only else [])
    g = graphs.guard_graph(one_step_graph(ToolNode([ask_human]), calls), gate=gate, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    assert g.invoke({"messages": [("user", "go")]}, cfg)["__interrupt__"][0].value == {"question": "ok?"}
    out = g.invoke(Command(resume="yes"), cfg)
    assert runs == ["started", "started", "yes"] and out["messages"][-1].content == "yes"
    kinds = [e.kind for e in gate.journal.entries() if e.kind != "verdicts"]
    # a read-only tool's pause is journaled too: a replay takes its answer where it stands
    assert kinds == (["proposed", "paused", "ran"] if read_only else ["proposed", "started", "paused", "restarted", "committed"])


# -- 3. coverage of bound methods and partials -----------------------------------------------------


class Mailer:
    def __init__(self, send: Any) -> None:
        self.send = send
        self.unused = "nothing"

    def run(self, state: MessagesState) -> dict[str, Any]:
        self.send.invoke({"to": "a"})
        return {}

    def via_helper(self, state: MessagesState) -> dict[str, Any]:
        return self._deliver()

    def _deliver(self) -> dict[str, Any]:
        self.send.invoke({"to": "b"})
        return {}

    def __call__(self, state: MessagesState) -> dict[str, Any]:
        return self.run(state)


class Quiet:
    def __init__(self, send: Any) -> None:
        self.send = send  # held, but no node method uses it

    def run(self, state: MessagesState) -> dict[str, Any]:
        return {}


def _deliver_with(send: Any, state: MessagesState) -> dict[str, Any]:
    send.invoke({"to": "c"})
    return {}


def _plain_tool(sent: list[str]):
    @tool
    def send_email(to: str) -> str:
        """Send."""
        sent.append(to)
        return "sent"

    return send_email


@pytest.mark.parametrize("shape", ["bound method", "method via helper", "callable object", "partial arg",
                                   "partial keyword", "partial of a method"])
def test_nodes_that_are_methods_partials_or_callables_calling_a_raw_tool_are_reported(shape: str):
    sent: list[str] = []
    send = _plain_tool(sent)
    node = {
        "bound method": Mailer(send).run,
        "method via helper": Mailer(send).via_helper,
        "callable object": Mailer(send),
        "partial arg": functools.partial(_deliver_with, send),
        "partial keyword": functools.partial(_deliver_with, send=send),
        "partial of a method": functools.partial(Mailer(send).run),
    }[shape]
    found = graphs.unmediated_nodes(one_node("n", node))
    assert [n for n, _ in found] == ["n"] and "'send_email'" in found[0][1]
    with pytest.raises(CoverageError):
        graphs.guard_graph(one_node("n", node), [never])
    assert graphs.unmediated_nodes(one_node("n", node), read_only=["send_email"]) == []
    assert sent == []


def test_methods_and_partials_that_hold_no_tool_they_use_pass():
    send = _plain_tool([])
    assert graphs.unmediated_nodes(one_node("n", Quiet(send).run)) == []
    assert graphs.unmediated_nodes(one_node("n", functools.partial(Quiet.run, Quiet(send)))) == []


def test_a_node_whose_code_cannot_be_read_is_reported_not_passed():
    from langgraph._internal._runnable import RunnableCallable

    opaque = operator.methodcaller("invoke", {"to": "d"})  # C code: what it calls cannot be read
    b = StateGraph(MessagesState)
    node = RunnableCallable(lambda state: {}, name="n")
    node.func = opaque  # (LangGraph reads a node's signature when it is added)
    b.add_node("n", node)
    b.add_edge(START, "n")
    b.add_edge("n", END)
    found = graphs.unmediated_nodes(b)
    assert [n for n, _ in found] == ["n"] and found[0][1].startswith("cannot inspect node 'n'")


def test_a_tools_own_artifact_does_not_reach_the_messages_beside_the_flows_text():
    # a content_and_artifact tool returns its raw record as the artifact: the flow labelled only the
    # content, so the gate keeps its own record of the call instead
    import json

    from langchain_core.messages import HumanMessage
    from test_privacy_echo import _react_graph

    from guards import PrivacyFlow, PrivacyPolicy, privacy_source

    ssn = "078-05-1120"

    @tool(response_format="content_and_artifact")
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> tuple:
        """The user's profile."""
        rec = {"name": "Emma", "ssn": ssn}
        return json.dumps(rec), rec

    b = _react_graph(lambda ms: "done" if any(m.type == "tool" for m in ms) else ("get_profile", {}), [get_profile])
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"))
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"])
    out = app.invoke({"messages": [HumanMessage("hi")]}, {"configurable": {"thread_id": "t"}})
    shown = [m for m in out["messages"] if m.type == "tool"]
    assert len(shown) == 1 and "«ssn:" in shown[0].content
    assert ssn not in repr(shown[0]) and set(shown[0].artifact) == {"vfa"}
    assert shown[0].artifact["vfa"]["outcome"] == "ran" and set(shown[0].artifact["vfa"]) <= {"outcome", "task", "shape", "chars", "digest"}


def test_two_calls_with_one_id_in_a_turn_are_both_refused_by_the_gate():
    # the ToolNode runs them at once, so which came first is not known: neither runs, and the model
    # is told to give each call its own id (no "started but never recorded" question to a person)
    from test_privacy_echo import _react_graph

    paid: list[int] = []

    @tool
    def pay(amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    calls = [{"name": "pay", "id": "x", "args": {"amount": 5}}, {"name": "pay", "id": "x", "args": {"amount": 5}}]
    app = graphs.guard_graph(_react_graph(
        lambda ms: AIMessage("", tool_calls=calls) if not any(m.type == "tool" for m in ms) else "done", [pay]), [allow_all])
    out = app.invoke({"messages": [("user", "pay 5")]}, {"configurable": {"thread_id": "t"}})
    shown = [m for m in out["messages"] if m.type == "tool"]
    assert paid == [] and len(shown) == 2
    assert all(m.artifact["vfa"]["outcome"] == "denied" and "appears more than once" in m.content for m in shown)
