from __future__ import annotations

import asyncio
from typing import Annotated

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command, Send
from pydantic import Field

from conftest import config
from vfa import Agent, Decision, EffectJournal, GuardNode, effect
from vfa.testing import ScriptedModel, last_tool_results


def run(bank, script, *, thread="t1", escalate_over=50, **kw):
    transfer, lookup = bank.tools()
    agent = Agent(ScriptedModel(script), [transfer, lookup], bank.guards(escalate_over), **kw)
    app = agent.compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay bob")]}, config(thread))
    return agent, app, out


def tool_messages(out):
    return [m for m in out["messages"] if isinstance(m, ToolMessage)]


def test_allowed_effect_is_committed_and_journaled(bank):
    agent, _, out = run(bank, [("transfer", {"to": "bob", "amount": 30}), "done"])
    assert bank.sent == [("bob", 30)]
    (msg,) = tool_messages(out)
    assert msg.content == "sent 30 to bob" and msg.artifact["vfa"]["outcome"] == "committed"
    kinds = [e.kind for e in agent.journal.entries("t1")]
    assert kinds == ["proposed", "verdicts", "started", "committed"]
    (record,) = agent.journal.committed("t1")
    assert record.args == {"to": "bob", "amount": 30} and record.result == "sent 30 to bob"
    # one entry for the round, every guard's decision in it, in order; an allow is journaled as its
    # decision's JSON form, written without pydantic on the hot path
    (round_,) = [e for e in agent.journal.entries("t1") if e.kind == "verdicts"]
    assert round_.data["verdict"] == "allow" and len(round_.data["decisions"]) == 2
    for d in round_.data["decisions"]:
        assert d == Decision.model_validate(d).model_dump(mode="json")
        assert d["verdict"] == {"guard": "", "kind": "allow"}


def test_denial_goes_back_to_the_model_with_guard_reason_and_evidence(bank):
    _, _, out = run(bank, [("transfer", {"to": "bob", "amount": 500}), "done"])
    (msg,) = tool_messages(out)
    assert msg.status == "error"
    assert "denied by guard 'budget'" in msg.content and "exceeds balance 100" in msg.content
    assert '"balance": 100' in msg.content
    assert bank.sent == []


def test_each_call_of_a_turn_gets_its_own_answer_in_order(bank):
    step = [("lookup", {"who": "bob"}), ("transfer", {"to": "bob", "amount": 500}),
            ("transfer", {"to": "bob", "amount": 10})]
    _, _, out = run(bank, [step, "done"])
    msgs = tool_messages(out)
    assert [m.tool_call_id for m in msgs] == ["call_0_0", "call_0_1", "call_0_2"]
    assert [m.artifact["vfa"]["outcome"] for m in msgs] == ["ran", "denied", "committed"]
    assert bank.sent == [("bob", 10)]


def test_invalid_arguments_unknown_tool_and_oversized_payload_are_clear_denials(bank):
    step = [("transfer", {"to": "bob", "amount": "lots"}), ("transfer", {"to": "bob"}),
            ("transfer", {"to": "bob", "amount": 1, "memo": "extra"}), ("launch_missiles", {}),
            ("lookup", {"who": "x" * 100_000})]
    agent, _, out = run(bank, [step, "done"])
    msgs = tool_messages(out)
    assert all(m.status == "error" for m in msgs) and len(msgs) == 5
    assert "amount: Input should be a valid integer" in msgs[0].content
    assert "amount: Field required" in msgs[1].content
    assert "memo: Extra inputs are not permitted" in msgs[2].content
    assert "unknown tool 'launch_missiles'" in msgs[3].content and "lookup, transfer" in msgs[3].content
    assert "over the limit of 65536" in msgs[4].content
    assert bank.sent == [] and agent.journal.committed("t1") == []
    # A model message cannot carry non-object arguments, but a raw Send or a hand-built call can.
    msg = agent.guard_node.handle({"name": "transfer", "args": ["x"], "id": "raw"}, {}, "t1")
    assert msg.status == "error" and "must be an object" in msg.content and bank.sent == []


def _nested(depth: int) -> list:
    x: list = []
    for _ in range(depth):
        x = [x]
    return x


class _Flow:
    """A flow whose hooks raise: the kernel must deny or hide, never crash or show."""

    def __init__(self, fail: str) -> None:
        self.fail = fail

    def label(self, call, state, thread_id):
        if self.fail == "label":
            raise RuntimeError("label broke")
        return {}

    def resolve(self, proposal):
        return dict(proposal.args)

    def observe(self, proposal, spec, result):
        raise RuntimeError(f"observe broke on {result!r}")


def test_arguments_nested_too_deep_or_a_flow_that_raises_deny_or_hide_never_crash():
    runs = []

    def stash(items: list) -> str:
        """Store items."""
        runs.append(1)
        return "secret 4111"

    def agent_out(args, flow=None):
        app = Agent(ScriptedModel([[("stash", args)], "done"]), [stash], flow=flow).compile()
        (msg,) = tool_messages(app.invoke({"messages": [("user", "go")]}))
        return msg

    msg = agent_out({"items": _nested(5000)})  # deeper than repr or JSON can go
    assert msg.status == "error" and "cannot be serialised as JSON" in msg.content and runs == []
    msg = agent_out({"items": [1]}, flow=_Flow("label"))
    assert msg.artifact["vfa"]["outcome"] == "denied" and "could not be labelled (RuntimeError)" in msg.content
    assert "label broke" not in msg.content and runs == []
    msg = agent_out({"items": [1]}, flow=_Flow("observe"))  # ran, but what the flow cannot label is not shown
    assert runs == [1] and "4111" not in msg.content and "could not be labelled (RuntimeError)" in msg.content


def test_every_guard_that_asks_is_asked_in_turn():
    from vfa import Escalate, guard

    done = []

    @guard
    def first(proposal, context):
        return Escalate(question="first?")

    @guard
    def second(proposal, context):
        return Escalate(question="second?")

    def act() -> str:
        """Act."""
        done.append(1)
        return "done"

    app = Agent(ScriptedModel([[("act", {})], "end"]), [act], [first, second]).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "go")]}, config("q"))
    assert out["__interrupt__"][0].value["question"] == "first?"
    out = app.invoke(Command(resume={"type": "approve"}), config("q"))
    assert out["__interrupt__"][0].value["question"] == "second?" and done == []  # one answer, one question
    app.invoke(Command(resume={"type": "approve"}), config("q"))
    assert done == [1]


class _Asks:
    """An inline guard that asks while `world[flag]` is set; its question may quote `world["text"]`."""

    inline, tools, timeout_s = True, None, None

    def __init__(self, name, flag):
        self.name, self.flag = name, flag

    def check(self, proposal, context):
        from vfa import ALLOW, Escalate

        world = context.world
        return Escalate(question=f"{self.name}? {world.get('text', '')}") if world[self.flag] else ALLOW


def _asking_app(world, guards):
    paid = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append((to, amount))
        return "paid"

    app = Agent(ScriptedModel([[("pay", {"to": "bob", "amount": 5})], "end"]), [pay], guards,
                world=lambda: world).compile(checkpointer=InMemorySaver())
    return app, paid


def test_a_reject_stands_when_the_guards_no_longer_ask_on_resume():
    for two in (False, True):
        world = {"a": True, "b": True}
        app, paid = _asking_app(world, [_Asks("a", "a"), *([_Asks("b", "b")] if two else [])])
        out = app.invoke({"messages": [("user", "pay")]}, config("r"))
        if two:
            out = app.invoke(Command(resume={"type": "approve"}), config("r"))  # a: yes; then b asks
            assert out["__interrupt__"][0].value["question"].startswith("b?")
        world["a" if not two else "b"] = False  # the world changed: that guard would no longer ask
        out = app.invoke(Command(resume={"type": "reject"}), config("r"))
        assert paid == [] and tool_messages(out)[-1].artifact["vfa"]["outcome"] == "rejected"


def test_a_question_that_changed_once_is_answered_once():
    world = {"a": True, "text": "balance 100"}
    app, paid = _asking_app(world, [_Asks("a", "a")])
    app.invoke({"messages": [("user", "pay")]}, config("c"))
    world["text"] = "balance 90"  # asked again, once, in its new words
    out = app.invoke(Command(resume={"type": "approve"}), config("c"))
    assert out["__interrupt__"][0].value["question"] == "a? balance 90"
    app.invoke(Command(resume={"type": "approve"}), config("c"))
    assert paid == [("bob", 5)]



def test_an_edit_stands_when_the_question_changes_on_resume():
    world = {"a": True, "text": "balance 1000"}
    app, paid = _asking_app(world, [_Asks("a", "a")])
    app.invoke({"messages": [("user", "pay")]}, config("e"))
    app.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 1}}), config("e"))
    world["text"] = "balance 995"  # the question about the edited call changes before it is answered
    out = app.invoke(Command(resume={"type": "approve"}), config("e"))
    while "__interrupt__" in out:  # asked again, about the edited call
        out = app.invoke(Command(resume={"type": "approve"}), config("e"))
    assert paid == [("bob", 1)]  # never the model's 5


def _tools_that_ask(ran):
    """A read-only tool and an effect that ask the person themselves (`interrupt()`), and a payment."""
    from langgraph.types import interrupt

    def lookup(item: str) -> str:
        """Look something up, once the person says so."""
        return f"looked up {item}: {interrupt('may I look it up?')}"

    @effect
    def wire(to: str, amount: int) -> str:
        """Wire money, once the person says so."""
        ran.append(("wire", interrupt("wire it?")))
        return "wired"

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        ran.append(("pay", to))
        return "paid"

    return lookup, wire, pay


def test_a_new_question_while_a_tool_waits_for_its_answer_fails_the_call_and_takes_no_other_answer():
    world = {"a": True, "text": "balance 100"}
    ran = []
    _lookup, wire, pay = _tools_that_ask(ran)
    app = Agent(ScriptedModel([[("wire", {"to": "bob", "amount": 5}), ("pay", {"to": "eve", "amount": 9})], "end"]),
                [wire, pay], [_Asks("a", "a")], world=lambda: world).compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "go")]}, config("w"))
    out = app.invoke(Command(resume={"type": "approve"}), config("w"))  # the guard's question about wire
    assert out["__interrupt__"][0].value == "wire it?"
    world["text"] = "balance 90"  # the guard would now ask a new question about wire
    out = app.invoke(Command(resume="yes"), config("w"))
    assert ran == [] and out["__interrupt__"][0].value["args"] == {"to": "eve", "amount": 9}  # pay's own question
    out = app.invoke(Command(resume={"type": "reject"}), config("w"))
    assert ran == [] and [m.artifact["vfa"]["outcome"] for m in tool_messages(out)] == ["failed", "rejected"]


def test_a_guard_whose_question_always_changes_is_not_asked_for_ever():
    world = {"a": True, "text": "0"}
    app, paid = _asking_app(world, [_Asks("a", "a")])
    out = app.invoke({"messages": [("user", "pay")]}, config("l"))
    for i in range(40):
        if "__interrupt__" not in out:
            break
        world["text"] = str(i + 1)
        out = app.invoke(Command(resume={"type": "approve"}), config("l"))
    assert "__interrupt__" not in out and paid == []
    assert "questions were asked about this call" in tool_messages(out)[-1].content


def test_a_tools_own_answer_never_answers_the_next_calls_question():
    from vfa import ALLOW, Deny

    ran = []
    lookup, wire, pay = _tools_that_ask(ran)

    class Frozen:
        name, inline, tools, timeout_s = "frozen", True, None, None

        def check(self, proposal, context):
            return Deny(reason="account frozen") if context.world["frozen"] and proposal.tool == "wire" else ALLOW

    for first in ("lookup", "wire"):  # a read-only tool's pause; an effect denied while its tool waits
        world = {"a": True, "frozen": False}
        asks_pay = _Asks("a", "a")
        asks_pay.check = lambda p, c, g=asks_pay: _Asks.check(g, p, c) if p.tool == "pay" else ALLOW
        args = {"item": "x"} if first == "lookup" else {"to": "bob", "amount": 5}
        app = Agent(ScriptedModel([[(first, args), ("pay", {"to": "eve", "amount": 9})], "end"]),
                    [lookup, wire, pay], [Frozen(), asks_pay], world=lambda: world).compile(checkpointer=InMemorySaver())
        ran.clear()
        app.invoke({"messages": [("user", "go")]}, config(first))
        world["frozen"] = True
        out = app.invoke(Command(resume={"type": "approve"}), config(first))  # the tool's answer
        assert out["__interrupt__"][0].value["tool"] == "pay" and ran == []  # pay's question is put
        out = app.invoke(Command(resume={"type": "reject"}), config(first))
        assert ("pay", "eve") not in ran and tool_messages(out)[-1].artifact["vfa"]["outcome"] == "rejected"


def test_an_idempotent_effect_that_asked_the_person_runs_again_after_a_crash_with_its_answer():
    from langgraph.types import interrupt

    crash, ran = [True], []

    @effect(idempotent=True)
    def wire(to: str, amount: int) -> str:
        """Wire money, once the person says so."""
        answer = interrupt("wire it?")
        if crash[0]:
            crash[0] = False
            raise KeyboardInterrupt("power cut")  # the process stops during the effect
        ran.append(("wire", answer))
        return "wired"

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        ran.append(("pay", to))
        return "paid"

    from vfa import ALLOW

    asks = _Asks("a", "a")
    asks.check = lambda p, c, g=asks: _Asks.check(g, p, c) if p.tool == "pay" else ALLOW
    app = Agent(ScriptedModel([[("wire", {"to": "bob", "amount": 5}), ("pay", {"to": "eve", "amount": 9})], "end"]),
                [wire, pay], [asks], world=lambda: {"a": True}).compile(checkpointer=InMemorySaver())
    assert app.invoke({"messages": [("user", "go")]}, config("k"))["__interrupt__"][0].value == "wire it?"
    try:
        app.invoke(Command(resume="yes"), config("k"))
    except KeyboardInterrupt:
        pass
    out = app.invoke(None, config("k"))  # recovery: the tool takes its own answer; pay's question is put
    assert ran == [("wire", "yes")] and out["__interrupt__"][0].value["tool"] == "pay"
    out = app.invoke(Command(resume={"type": "reject"}), config("k"))
    assert ran == [("wire", "yes")] and tool_messages(out)[-1].artifact["vfa"]["outcome"] == "rejected"


def test_a_tools_question_still_to_be_answered_is_asked_as_the_tool_asked_it():
    # the tool waits for its answer while the person answers another node; meanwhile a guard denies the
    # call: the tool's question stays what the person sees, never a bare placeholder
    from langgraph.types import interrupt

    from vfa import ALLOW, Deny

    world = {"deny": False}
    ran = []
    _lookup, wire, _pay = _tools_that_ask(ran)

    class Limit:
        name, inline, tools, timeout_s = "limit", True, None, None

        def check(self, proposal, context):
            return Deny(reason="over the limit") if context.world["deny"] else ALLOW

    def model(state):
        return {"messages": [AIMessage("", tool_calls=[{"name": "wire", "args": {"to": "bob", "amount": 5}, "id": "c1"}])]}

    def review(state):
        interrupt("is the plan fine?")
        return {}

    g = StateGraph(MessagesState)
    g.add_node("model", model)
    g.add_node("tools", GuardNode([wire], [Limit()], world=lambda: world))
    g.add_node("review", review)
    g.add_edge(START, "model")
    g.add_edge("model", "tools")
    g.add_edge("model", "review")
    g.add_edge("tools", END)
    g.add_edge("review", END)
    app = g.compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "go")]}, config("p"))
    review_id = next(i.id for i in out["__interrupt__"] if i.value == "is the plan fine?")
    world["deny"] = True
    out = app.invoke(Command(resume={review_id: "fine"}), config("p"))
    assert [i.value for i in out["__interrupt__"]] == ["wire it?"] and ran == []


def test_after_a_crash_each_guard_that_asks_is_asked_after_the_recovery_question():
    from langgraph.types import interrupt

    crash, ran = [True], []

    @effect
    def wire(to: str, amount: int) -> str:
        """Wire money, once the person says so."""
        if crash[0]:
            crash[0] = False
            raise KeyboardInterrupt("power cut")  # the process stops during the effect
        ran.append(("wire", interrupt("wire it?")))
        return "wired"

    world = {"b": False}
    app = Agent(ScriptedModel([[("wire", {"to": "bob", "amount": 7})], "end"]), [wire], [_Asks("b", "b")],
                world=lambda: world).compile(checkpointer=InMemorySaver())
    try:
        app.invoke({"messages": [("user", "go")]}, config("x"))
    except KeyboardInterrupt:
        pass
    world["b"] = True  # after the crash, a guard asks about the call too
    out = app.invoke(None, config("x"))
    assert "started (journal entry" in out["__interrupt__"][0].value["question"]
    out = app.invoke(Command(resume={"type": "approve"}), config("x"))
    assert out["__interrupt__"][0].value["question"].startswith("b?")  # its own question, its own answer
    out = app.invoke(Command(resume={"type": "approve"}), config("x"))
    assert out["__interrupt__"][0].value == "wire it?" and ran == []
    app.invoke(Command(resume="yes"), config("x"))
    assert ran == [("wire", "yes")]


def test_escalation_approve_commits(bank):
    _, app, out = run(bank, [("transfer", {"to": "bob", "amount": 60}), "done"])
    (intr,) = out["__interrupt__"]
    assert intr.value["question"] == "send 60 to bob?" and intr.value["guard"] == "large"
    assert bank.sent == []
    out = app.invoke(Command(resume={"type": "approve"}), config())
    assert bank.sent == [("bob", 60)]
    assert tool_messages(out)[-1].content == "sent 60 to bob"


def test_escalation_reject_commits_nothing(bank):
    agent, app, _ = run(bank, [("transfer", {"to": "bob", "amount": 60}), "done"])
    out = app.invoke(Command(resume={"type": "reject", "message": "not today"}), config())
    assert bank.sent == []
    msg = tool_messages(out)[-1]
    assert msg.status == "error" and "rejected by a person: not today" in msg.content
    assert [e.kind for e in agent.journal.entries("t1")][-1] == "rejected"


def test_edited_arguments_are_verified_again(bank):
    # An edit that is still too large for the balance is denied by the budget guard.
    _, app, _ = run(bank, [("transfer", {"to": "bob", "amount": 60}), "done"])
    out = app.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 900}}), config())
    assert bank.sent == [] and "denied by guard 'budget'" in tool_messages(out)[-1].content
    # An edit within limits commits the edited arguments.
    _, app, _ = run(bank, [("transfer", {"to": "bob", "amount": 60}), "done"], thread="t2")
    out = app.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 20}}), config("t2"))
    assert bank.sent == [("bob", 20)]


def test_resume_in_human_in_the_loop_middleware_shape(bank):
    _, app, _ = run(bank, [("transfer", {"to": "bob", "amount": 60}), "done"])
    app.invoke(Command(resume={"decisions": [{"type": "approve"}]}), config())
    assert bank.sent == [("bob", 60)]


def test_replay_after_interrupt_does_not_repeat_earlier_effects(bank):
    step = [("transfer", {"to": "bob", "amount": 5}), ("transfer", {"to": "carol", "amount": 70})]
    agent, app, out = run(bank, [step, "done"])
    assert bank.sent == [("bob", 5)] and "__interrupt__" in out
    app.invoke(Command(resume={"type": "approve"}), config())
    assert bank.sent == [("bob", 5), ("carol", 70)]  # bob's transfer replayed from the journal
    assert len(agent.journal.committed("t1")) == 2


def _guarded_graph(bank, router):
    transfer, lookup = bank.tools()
    node = GuardNode([transfer, lookup], bank.guards())
    builder = StateGraph(MessagesState)
    builder.add_node("sneaky", router)
    builder.add_node("tools", node)
    builder.add_edge(START, "sneaky")
    builder.add_edge("tools", END)
    return builder


def test_command_goto_into_the_tools_still_passes_the_guards(bank):
    def sneaky(state):
        bad = AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "eve", "amount": 900}, "id": "x1"}])
        return Command(goto="tools", update={"messages": [bad]})

    app = _guarded_graph(bank, sneaky).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "hi")]}, config())
    assert bank.sent == [] and "denied by guard 'budget'" in out["messages"][-1].content


def test_send_to_the_tools_still_passes_the_guards(bank):
    transfer, lookup = bank.tools()
    builder = StateGraph(MessagesState)
    builder.add_node("start", lambda state: {})
    builder.add_node("tools", GuardNode([transfer, lookup], bank.guards()))
    builder.add_edge(START, "start")

    def fan_out(state):
        call = {"name": "transfer", "args": {"to": "eve", "amount": 900}, "id": "s1", "type": "tool_call"}
        ok = {"name": "transfer", "args": {"to": "bob", "amount": 1}, "id": "s2", "type": "tool_call"}
        return [Send("tools", {"__type": "tool_call_with_context", "tool_call": call, "state": state}),
                Send("tools", ok)]

    builder.add_conditional_edges("start", fan_out, ["tools"])
    builder.add_edge("tools", END)
    out = builder.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "hi")]}, config())
    outcomes = {m.tool_call_id: m.artifact["vfa"]["outcome"] for m in out["messages"] if isinstance(m, ToolMessage)}
    assert outcomes == {"s1": "denied", "s2": "committed"}
    assert bank.sent == [("bob", 1)]


def test_world_state_reaches_guards(bank):
    from vfa import Deny, guard, ALLOW

    seen = []

    @guard
    def frozen(p, c):
        seen.append(c.world)
        return Deny(reason="account frozen") if c.world["frozen"] else ALLOW

    transfer, lookup = bank.tools()
    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "done"]), [transfer, lookup],
                [frozen], world=lambda: {"frozen": True}).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay")]}, config())
    assert seen == [{"frozen": True}] and "account frozen" in last_tool_results(out["messages"][:-1])[-1].content


def test_guards_see_the_threads_committed_history(bank):
    from vfa import Deny, guard, ALLOW

    @guard
    def once(p, c):
        if any(r.tool == "transfer" and r.args["to"] == p.args.get("to") for r in c.history):
            return Deny(reason="already paid")
        return ALLOW

    transfer, lookup = bank.tools()
    script = [("transfer", {"to": "bob", "amount": 1}), ("transfer", {"to": "bob", "amount": 1}), "done"]
    app = Agent(ScriptedModel(script), [transfer, lookup], [once]).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay")]}, config())
    assert bank.sent == [("bob", 1)] and "already paid" in tool_messages(out)[-1].content


def test_async_invoke_and_async_effects(bank):
    from vfa import effect

    log = []

    @effect
    async def notify(text: str) -> str:
        """Send a notification."""
        log.append(text)
        return "sent"

    transfer, lookup = bank.tools()
    agent = Agent(ScriptedModel([[("notify", {"text": "hi"}), ("transfer", {"to": "bob", "amount": 500})], "done"]),
                  [transfer, lookup, notify], bank.guards())
    app = agent.compile(checkpointer=InMemorySaver())

    async def main():
        return await app.ainvoke({"messages": [("user", "go")]}, config())

    out = asyncio.run(main())
    assert log == ["hi"] and bank.sent == []
    assert [m.artifact["vfa"]["outcome"] for m in tool_messages(out)] == ["committed", "denied"]


def test_journal_on_a_file_survives_a_new_agent(bank, tmp_path):
    path = tmp_path / "journal.db"
    run(bank, [("transfer", {"to": "bob", "amount": 3}), "done"], journal=str(path))
    assert [r.args for r in EffectJournal(path).committed("t1")] == [{"to": "bob", "amount": 3}]


def test_a_raising_or_hanging_guard_commits_nothing(bank):
    import time

    from vfa import ALLOW, guard

    @guard
    def crashes(p, c):
        raise KeyError("no such account")

    @guard(timeout_s=0.05)
    def hangs(p, c):
        time.sleep(1)
        return ALLOW

    transfer, lookup = bank.tools()
    for g, expected in ((crashes, "raised KeyError"), (hangs, "did not decide within 0.05 s")):
        agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "done"]), [transfer, lookup], [g])
        out = agent.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "pay")]}, config())
        (msg,) = tool_messages(out)
        assert msg.status == "error" and expected in msg.content
        assert bank.sent == [] and agent.journal.committed("t1") == []
        assert "started" not in [e.kind for e in agent.journal.entries("t1")]


def test_async_escalation_and_astream_resume(bank):
    transfer, lookup = bank.tools()
    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 60}), "done"]), [transfer, lookup],
                bank.guards()).compile(checkpointer=InMemorySaver())

    async def main():
        out = await app.ainvoke({"messages": [("user", "pay")]}, config())
        assert out["__interrupt__"][0].value["guard"] == "large" and bank.sent == []
        return [c async for c in app.astream(Command(resume={"type": "approve"}), config(), stream_mode="updates")]

    chunks = asyncio.run(main())
    assert bank.sent == [("bob", 60)]
    assert [next(iter(c)) for c in chunks] == ["tools", "agent"]


def test_annotated_argument_constraints_are_enforced(bank):
    from vfa import effect

    paid = []

    @effect
    def pay(amount: Annotated[int, Field(gt=0, le=100)]) -> str:
        """Pay a bounded amount."""
        paid.append(amount)
        return "paid"

    node = GuardNode([pay])
    msg = node.handle({"name": "pay", "args": {"amount": -5}, "id": "c1"}, {}, "t")
    assert msg.status == "error" and "greater than 0" in msg.content and paid == []


def test_a_replayed_rejection_reads_as_it_was_first_answered():
    # an invalid edit, then the model proposing the same call id again: the replay says the same
    from vfa import Escalate, FunctionGuard

    @effect
    def post(content: str) -> str:
        """Publish."""
        return "posted"

    def call() -> AIMessage:
        return AIMessage("", tool_calls=[{"name": "post", "args": {"content": "hi"}, "id": "c1"}])

    ask = FunctionGuard(lambda p, c: Escalate(question="post it?"), name="ask")
    model = ScriptedModel(rule=lambda ms: call() if sum(isinstance(m, AIMessage) for m in ms) < 2 else "done")
    app = Agent(model, [post], guards=[ask]).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [("user", "post hi")]}, cfg)
    out = app.invoke(Command(resume={"type": "edit", "args": {"content": {"not": "a string"}}}), cfg)
    tms = tool_messages(out)
    assert len(tms) == 2 and tms[0].content == tms[1].content
    assert tms[0].content.startswith("the edited arguments were invalid")
