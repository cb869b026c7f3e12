"""guard_graph: an existing StateGraph / ToolNode app, guarded without changing its shape or its tools."""

from __future__ import annotations

import asyncio
import warnings
from typing import Annotated, Any

from _tool_loop import ask_human_tool, model_node, tool_loop
from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableConfig, RunnableLambda
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import InjectedState, ToolNode, ToolRuntime
from langgraph.types import Command

import graphs
from vfa import ALLOW, Deny, Escalate, guard
from vfa.testing import ScriptedModel


class Payments:
    """A world of payments made by a plain LangChain tool (no vfa in the user's code)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []

    def tool(self):
        sent = self.sent

        @tool
        def pay(to: str, amount: int) -> str:
            """Pay `amount` to `to`."""
            sent.append((to, amount))
            return f"paid {amount} to {to}"

        return pay


@guard
def limit(p, c):
    if p.args.get("amount", 0) > 100:
        return Deny(reason=f"amount {p.args['amount']} is over the limit 100", evidence={"amount": p.args["amount"]})
    return ALLOW


@guard
def allow_all(p, c):
    return ALLOW


def react_builder(model, tool_node) -> StateGraph:
    """The LangGraph tutorial shape: agent -> tools_condition -> ToolNode -> agent."""
    return tool_loop(model_node(model), tool_node)


def summary(messages) -> list[tuple[Any, ...]]:
    """What a run said, without the random message ids."""
    return [(type(m).__name__, m.content, getattr(m, "tool_call_id", None), getattr(m, "status", None),
             [(c["name"], c["args"], c["id"]) for c in getattr(m, "tool_calls", [])]) for m in messages]


TWO_CALLS = [[("pay", {"to": "bob", "amount": 5}), ("pay", {"to": "eve", "amount": 500})], "ok"]
CFG = {"configurable": {"thread_id": "t"}}


def test_allowed_calls_give_the_same_final_state_as_the_unguarded_graph():
    script = [[("pay", {"to": "bob", "amount": 5}), ("pay", {"to": "ann", "amount": 7})], ("pay", {"to": "cy", "amount": 1}), "ok"]
    plain, guarded = Payments(), Payments()
    before = react_builder(ScriptedModel(script), ToolNode([plain.tool()])).compile().invoke({"messages": [("user", "go")]}, CFG)
    after = graphs.guard_graph(react_builder(ScriptedModel(script), ToolNode([guarded.tool()])), [allow_all]).invoke(
        {"messages": [("user", "go")]}, CFG)
    assert summary(after["messages"]) == summary(before["messages"])
    # a ToolNode runs one step's calls in parallel threads: their order is not defined, guarded or not
    assert sorted(guarded.sent) == sorted(plain.sent) == [("ann", 7), ("bob", 5), ("cy", 1)]


def test_a_denied_call_never_runs_and_gets_its_own_message():
    pay = Payments()
    g = graphs.guard_graph(react_builder(ScriptedModel(TWO_CALLS), ToolNode([pay.tool()])), [limit])
    out = g.invoke({"messages": [("user", "go")]}, CFG)
    results = {m.tool_call_id: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert pay.sent == [("bob", 5)]
    assert results["call_0_0"].content == "paid 5 to bob" and results["call_0_0"].status == "success"
    assert results["call_0_1"].status == "error" and "limit" in results["call_0_1"].content
    assert "500" in results["call_0_1"].content  # the evidence reaches the model


def test_fallback_tool_node_reports_the_allowed_call_done_and_the_denied_one_denied():
    pay = Payments()
    handled: list[Any] = []

    def handle_tool_error(state) -> dict[str, Any]:  # the LangGraph tutorial's fallback
        handled.append(state.get("error"))
        return {"messages": [ToolMessage(content=f"Error: {state.get('error')!r}", tool_call_id=c["id"])
                             for c in state["messages"][-1].tool_calls]}

    node = ToolNode([pay.tool()]).with_fallbacks([RunnableLambda(handle_tool_error)], exception_key="error")
    builder = react_builder(ScriptedModel(TWO_CALLS), node)
    assert graphs.unmediated_nodes(builder) == [("tools", "a ToolNode that runs the tools pay with no vfa gate")]
    g = graphs.guard_graph(builder, [limit])
    out = g.invoke({"messages": [("user", "go")]}, CFG)
    results = {m.tool_call_id: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert pay.sent == [("bob", 5)]  # ran once, and the denied one never
    assert handled == []  # a denial never raised into the node, so the fallback never fired
    assert (results["call_0_0"].status, results["call_0_0"].content) == ("success", "paid 5 to bob")
    assert results["call_0_1"].status == "error" and "denied by guard 'limit'" in results["call_0_1"].content


def test_the_users_graph_is_left_unguarded_and_unchanged():
    pay = Payments()
    builder = react_builder(ScriptedModel(TWO_CALLS), ToolNode([pay.tool()]))
    graphs.guard_graph(builder, [limit])
    builder.compile().invoke({"messages": [("user", "go")]}, CFG)
    assert pay.sent == [("bob", 5), ("eve", 500)]


def test_injected_config_state_call_id_and_runtime_reach_the_tools_unchanged():
    seen: dict[str, list[Any]] = {"plain": [], "guarded": []}

    def make(key: str):
        @tool
        def note(text: str, state: Annotated[dict, InjectedState], call_id: Annotated[str, InjectedToolCallId],
                 config: RunnableConfig, runtime: ToolRuntime) -> str:
            """Write a note."""
            seen[key].append((text, len(state["messages"]), call_id, config["configurable"]["thread_id"],
                              config["configurable"].get("user"), runtime.tool_call_id, len(runtime.state["messages"])))
            return "noted"

        return note

    script = [("note", {"text": "hi"}), "ok"]
    cfg = {"configurable": {"thread_id": "t", "user": "ann"}}
    react_builder(ScriptedModel(script), ToolNode([make("plain")])).compile().invoke({"messages": [("user", "go")]}, cfg)
    g = graphs.guard_graph(react_builder(ScriptedModel(script), ToolNode([make("guarded")])), [allow_all])
    g.invoke({"messages": [("user", "go")]}, cfg)
    assert seen["guarded"] == seen["plain"] == [("hi", 2, "call_0_0", "t", "ann", "call_0_0", 2)]


def test_guards_judge_the_models_arguments_not_the_injected_ones():
    proposals = []

    @guard
    def record(p, c):
        proposals.append(dict(p.args))
        return ALLOW

    @tool
    def look(q: str, state: Annotated[dict, InjectedState]) -> str:
        """Look something up."""
        return q

    g = graphs.guard_graph(react_builder(ScriptedModel([("look", {"q": "x"}), "ok"]), ToolNode([look])), [record])
    g.invoke({"messages": [("user", "go")]}, CFG)
    assert proposals == [{"q": "x"}]


def test_async_invoke_and_stream_modes_keep_working():
    pay = Payments()
    g = graphs.guard_graph(react_builder(ScriptedModel(TWO_CALLS), ToolNode([pay.tool()])), [limit],
                           checkpointer=InMemorySaver())

    async def run() -> tuple[Any, list[Any], list[Any]]:
        out = await g.ainvoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "a"}})
        updates = [c async for c in g.astream({"messages": [("user", "go")]}, {"configurable": {"thread_id": "b"}},
                                              stream_mode="updates")]
        values = [c async for c in g.astream({"messages": [("user", "go")]}, {"configurable": {"thread_id": "c"}},
                                             stream_mode=["values", "messages"])]
        return out, updates, values

    out, updates, values = asyncio.run(run())
    assert pay.sent == [("bob", 5)] * 3
    assert [next(iter(u)) for u in updates] == ["agent", "tools", "agent"]
    tool_update = updates[1]["tools"]["messages"]
    assert [m.status for m in tool_update] == ["success", "error"]
    assert {mode for mode, _ in values} == {"values", "messages"}
    assert out["messages"][-1].content == "ok"
    sync_updates = list(g.stream({"messages": [("user", "go")]}, {"configurable": {"thread_id": "d"}}, stream_mode="updates"))
    assert [next(iter(u)) for u in sync_updates] == ["agent", "tools", "agent"] and pay.sent[-1] == ("bob", 5)


def test_async_tools_run_on_the_callers_event_loop():
    loops = []

    @tool
    async def fetch(url: str) -> str:
        """Fetch a page."""
        loops.append(asyncio.get_running_loop())
        return f"page {url}"

    g = graphs.guard_graph(react_builder(ScriptedModel([("fetch", {"url": "u"}), "ok"]), ToolNode([fetch])), [allow_all])

    async def run() -> Any:
        return await g.ainvoke({"messages": [("user", "go")]}, CFG), asyncio.get_running_loop()

    out, loop = asyncio.run(run())
    assert loops == [loop] and out["messages"][2].content == "page u"


def test_subgraphs_are_guarded_and_reported():
    pay = Payments()
    inner = react_builder(ScriptedModel(TWO_CALLS), ToolNode([pay.tool()])).compile()
    outer = StateGraph(MessagesState)
    outer.add_node("worker", inner)
    outer.add_edge(START, "worker")
    outer.add_edge("worker", END)
    assert ("worker/tools", "a ToolNode that runs the tools pay with no vfa gate") in graphs.unmediated_nodes(outer)
    g = graphs.guard_graph(outer, [limit])
    out = g.invoke({"messages": [("user", "go")]}, CFG)
    assert pay.sent == [("bob", 5)]
    assert [m.status for m in out["messages"] if isinstance(m, ToolMessage)] == ["success", "error"]
    assert graphs.unmediated_nodes(g) == []


def test_create_react_agent_is_guarded():
    from langgraph.prebuilt import create_react_agent

    pay = Payments()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_react_agent(ScriptedModel(TWO_CALLS), [pay.tool()], checkpointer=InMemorySaver())
    g = graphs.guard_graph(app, [limit])
    assert g.checkpointer is app.checkpointer and list(g.builder.nodes) == list(app.builder.nodes)
    out = g.invoke({"messages": [("user", "go")]}, CFG)
    assert pay.sent == [("bob", 5)] and "denied" in out["messages"][3].content


def test_an_existing_wrap_tool_call_still_runs_and_what_it_rewrites_is_verified():
    pay = Payments()
    wrapped: list[str] = []

    def double(request, execute):  # a user's wrapper that changes the call before it runs
        wrapped.append(request.tool_call["id"])
        call = {**request.tool_call, "args": {**request.tool_call["args"], "amount": request.tool_call["args"]["amount"] * 30}}
        return execute(request.override(tool_call=call))

    script = [[("pay", {"to": "bob", "amount": 2}), ("pay", {"to": "eve", "amount": 5})], "ok"]
    g = graphs.guard_graph(react_builder(ScriptedModel(script), ToolNode([pay.tool()], wrap_tool_call=double)), [limit])
    g.invoke({"messages": [("user", "go")]}, CFG)
    assert sorted(wrapped) == ["call_0_0", "call_0_1"]
    assert pay.sent == [("bob", 60)]  # eve's 150 was verified as it would run, and denied


def test_checkpointer_and_interrupt_before_are_kept():
    pay = Payments()
    app = react_builder(ScriptedModel(TWO_CALLS), ToolNode([pay.tool()])).compile(
        checkpointer=InMemorySaver(), interrupt_before=["tools"])
    g = graphs.guard_graph(app, [limit])
    g.invoke({"messages": [("user", "go")]}, CFG)
    assert pay.sent == [] and g.get_state(CFG).next == ("tools",)
    g.invoke(None, CFG)
    assert pay.sent == [("bob", 5)]


def test_escalation_pauses_the_thread_and_a_person_decides():
    pay = Payments()

    @guard
    def ask(p, c):
        return Escalate(question=f"pay {p.args['amount']}?") if p.args["amount"] > 50 else ALLOW

    script = [("pay", {"to": "eve", "amount": 80}), ("pay", {"to": "cy", "amount": 90}), "ok"]
    g = graphs.guard_graph(react_builder(ScriptedModel(script), ToolNode([pay.tool()])), [ask, limit],
                           checkpointer=InMemorySaver())
    out = g.invoke({"messages": [("user", "go")]}, CFG)
    (pause,) = out["__interrupt__"]
    assert pause.value["options"] == ["approve", "edit", "reject"] and pause.value["args"] == {"to": "eve", "amount": 80}
    out = g.invoke(Command(resume={"decisions": [{"type": "approve"}]}), CFG)  # HumanInTheLoop's shape
    assert pay.sent == [("eve", 80)]
    out = g.invoke(Command(resume={"type": "edit", "args": {"to": "cy", "amount": 500}}), CFG)
    assert pay.sent == [("eve", 80)]  # the edit is verified again, and the limit denies it
    assert "denied by guard 'limit'" in out["messages"][-2].content


def test_a_tool_that_interrupts_itself_resumes_and_runs_once():
    runs: list[str] = []

    ask_human = ask_human_tool(runs)

    g = graphs.guard_graph(react_builder(ScriptedModel([("ask_human", {"question": "ok?"}), "done"]),
                                         ToolNode([ask_human])), [allow_all], checkpointer=InMemorySaver())
    out = g.invoke({"messages": [("user", "go")]}, CFG)
    assert out["__interrupt__"][0].value == {"question": "ok?"}
    out = g.invoke(Command(resume="yes"), CFG)
    assert runs == ["started", "started", "yes"]
    assert out["messages"][2].content == "yes" and out["messages"][-1].content == "done"


def test_create_agent_graphs_can_be_retrofitted_too():
    from langchain.agents import create_agent

    pay = Payments()
    app = create_agent(ScriptedModel(TWO_CALLS), [pay.tool()], checkpointer=InMemorySaver())
    g = graphs.guard_graph(app, [limit])
    out = g.invoke({"messages": [("user", "go")]}, CFG)
    assert pay.sent == [("bob", 5)] and g.stream_transformers == app.stream_transformers
    assert [m.status for m in out["messages"] if isinstance(m, ToolMessage)] == ["success", "error"]
