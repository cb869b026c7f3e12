"""A call made inside a call's effect that asks a person, answered the README's way, ends: it is not asked for ever.

What must hold (docs/kernel.md, "People in the loop": "resume with `Command(resume={"type": "approve"})`"; "Guard that
agent too ... a call made from inside a call of the same thread"): an agent used as a tool whose guarded call
asks a person pauses the outer run; one approval lets that inner call commit, the outer call ends with the
tool's result and the run goes on. The outer tool's body runs once more to take the answer (LangGraph re-runs
the interrupted node), not once per resume.

Interleaving: agent A's effect `delegate` runs agent B (same journal; B's graph inherits A's checkpointer and
thread, as a subgraph does). B's guard escalates `pay(big)`: the question reaches the person through A's run,
and A's call `o1` is journaled `paused` by its tool. The bare approval resumes the run: `delegate` runs again,
B's subgraph takes the answer and commits `pay(big)`, `delegate` returns. Then `take_tool_answers_left`
(`vfa/_escalation.py`, called from `_commit`'s `act` in `vfa/_guard_node.py`) sees that A's task made no
`interrupt()` of its own this time (B's question was put in B's scratchpad) and that the bare answer still
showed as "not taken" (`get_null_resume(False)` keeps returning the answer the subgraph consumed), so it asked
B's question again in A's task: a new interrupt, raised after the effect returned, is journaled as another
pause of `o1` by its tool. Every later approval does the same (one more pause each time), so the thread never
got past `o1`, and `delegate`'s body ran again at each resume.

Fixed: a pause whose interrupt id is none of the running task's own (a nested graph's, whose namespace is
its own) takes no place among the task's answers (`vfa/_escalation.py`, `_own_interrupts`): the nested graph
takes its own answer when the tool runs again, and nothing asks its question in the outer task.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _call(name: str, args: dict, call_id: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])


def test_an_inner_call_approved_with_a_bare_answer_is_not_asked_again():
    journal = EffectJournal(":memory:")
    paid: list[str] = []
    runs: list[str] = []

    @guard
    def big_needs_ok(p, c):
        return Escalate(question="pay big?") if p.tool == "pay" and p.args["to"] == "big" else ALLOW

    @effect
    def pay(to: str) -> str:
        """Pay someone."""
        paid.append(to)
        return f"paid {to}"

    helper = Agent(ScriptedModel([_call("pay", {"to": "big"}, "i1"), "done"]), [pay], guards=[big_needs_ok],
                   journal=journal).compile()

    @effect
    def delegate(task: str) -> str:
        """Hand a task to the helper."""
        runs.append(task)
        out = helper.invoke({"messages": [("user", task)]})
        return " / ".join(str(m.content) for m in out["messages"] if m.type == "tool")

    app = Agent(ScriptedModel([_call("delegate", {"task": "pay big"}, "o1"), _call("pay", {"to": "z"}, "o2"), "done"]),
                [delegate, pay], guards=[big_needs_ok], journal=journal).compile(checkpointer=InMemorySaver())

    out = app.invoke({"messages": [("user", "have the helper pay big")]}, CFG)
    assert out.get("__interrupt__"), "the helper's call did not ask"
    asked = 1
    while out.get("__interrupt__") and asked <= 4:  # bounded: the defect asks for ever
        out = app.invoke(Command(resume={"type": "approve"}), CFG)
        asked += 1
    tools = {m.tool_call_id: m.content for m in out["messages"] if m.type == "tool"}
    assert not out.get("__interrupt__") and tools.get("o1") == "paid big" and tools.get("o2") == "paid z", (
        f"after {asked - 1} approvals the run still asks {[i.value.get('question') for i in out.get('__interrupt__', [])]}; "
        f"tool results {tools}; the helper paid {paid}; delegate's body ran {len(runs)} times")
    assert paid == ["big", "z"]
    assert len(runs) == 2, f"delegate's body ran {len(runs)} times for one call (once to ask, once to take the answer)"


def test_an_answer_sent_by_id_after_an_inner_call_asked_is_not_dropped():
    """The same root, with answers sent by interrupt id (the README's advice): a turn `[delegate, pay(big2)]`
    where `delegate`'s helper asked first. Once `delegate` has committed, `pay(big2)` asks at the task's first
    interrupt position (the helper's question took none of the outer task's). The approval of `big2?` re-runs
    the task: `delegate`, finished, has its tool's pause "re-consumed" (`Questions.replay` ->
    `skip_tool_pauses`), which takes that first position, the one holding the approval of `big2?`. The approval
    is dropped and the person is asked `pay big2?` a second time. Each question must be asked once."""
    journal = EffectJournal(":memory:")
    paid: list[str] = []

    @guard
    def big_needs_ok(p, c):
        return Escalate(question=f"pay {p.args['to']}?") if p.tool == "pay" and p.args["to"].startswith("big") else ALLOW

    @effect
    def pay(to: str) -> str:
        """Pay someone."""
        paid.append(to)
        return f"paid {to}"

    helper = Agent(ScriptedModel([_call("pay", {"to": "big"}, "i1"), "done"]), [pay], guards=[big_needs_ok],
                   journal=journal).compile()

    @effect
    def delegate(task: str) -> str:
        """Hand a task to the helper."""
        out = helper.invoke({"messages": [("user", task)]})
        return " / ".join(str(m.content) for m in out["messages"] if m.type == "tool")

    turn = AIMessage("", tool_calls=[{"name": "delegate", "args": {"task": "pay big"}, "id": "o1"},
                                     {"name": "pay", "args": {"to": "big2"}, "id": "o2"}])
    app = Agent(ScriptedModel([turn, "done"]), [delegate, pay], guards=[big_needs_ok],
                journal=journal).compile(checkpointer=InMemorySaver())

    out = app.invoke({"messages": [("user", "pay big, and big2")]}, CFG)
    asked: list[str] = []
    while out.get("__interrupt__") and len(asked) < 6:
        asked += [i.value["question"] for i in out["__interrupt__"]]
        out = app.invoke(Command(resume={i.id: {"type": "approve"} for i in out["__interrupt__"]}), CFG)
    assert not out.get("__interrupt__") and paid == ["big", "big2"], f"asked {asked}, paid {paid}"
    assert asked == ["pay big?", "pay big2?"], f"the person was asked {asked} for two calls (an approval was dropped)"
