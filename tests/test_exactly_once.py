"""Exactly once, and to the right call: ids, replays, concurrent runs, answers, crashes, private values."""

from __future__ import annotations

import threading

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

from conftest import config, in_another_process
from vfa import ALLOW, Agent, CallInFlightError, Deny, EffectJournal, Escalate, GuardNode, effect, guard
from vfa.testing import ScriptedModel


def _payments(paid):
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    return transfer


@guard
def ask_all(p, c):
    return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?")


def test_each_answer_goes_to_the_call_it_was_asked_about():
    paid: list = []
    model = ScriptedModel([[("transfer", {"to": "alice", "amount": 5}), ("transfer", {"to": "mallory", "amount": 9000})]])
    app = Agent(model, [_payments(paid)], [ask_all]).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "go")]}, config())
    assert out["__interrupt__"][0].value["args"]["to"] == "alice"
    out = app.invoke(Command(resume="approve"), config())
    assert out["__interrupt__"][0].value["args"]["to"] == "mallory"
    out = app.invoke(Command(resume="reject"), config())
    assert "__interrupt__" not in out
    assert paid == [("alice", 5)]  # mallory's transfer was rejected and never ran


def test_answers_stay_aligned_when_a_tool_pauses_itself():
    paid: list = []

    @effect
    def confirm_and_pay(to: str) -> str:
        """Ask the person for the amount, then pay."""
        amount = interrupt({"ask": f"how much for {to}?"})
        paid.append((to, amount))
        return f"paid {amount}"

    @guard(tools=["transfer"])
    def ask_transfers(p, c):
        return Escalate(question="transfer?")

    model = ScriptedModel([[("confirm_and_pay", {"to": "alice"}), ("transfer", {"to": "mallory", "amount": 7})]])
    app = Agent(model, [confirm_and_pay, _payments(paid)], [ask_transfers]).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "go")]}, config())
    assert out["__interrupt__"][0].value == {"ask": "how much for alice?"}
    out = app.invoke(Command(resume=3), config())
    assert out["__interrupt__"][0].value["tool"] == "transfer"
    app.invoke(Command(resume="reject"), config())
    assert paid == [("alice", 3)]


def test_a_call_without_an_id_or_with_a_repeated_id_is_denied():
    paid: list = []
    node = GuardNode([_payments(paid)])
    assert "has no id" in node.handle({"name": "transfer", "args": {"to": "a", "amount": 1}, "id": None}, {}, "t").content
    msg = AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "a", "amount": 1}, "id": "x"},
                                    {"name": "transfer", "args": {"to": "b", "amount": 2}, "id": "x"}])
    out = node.invoke({"messages": [msg]}, config())
    assert [m.tool_call_id for m in out["messages"]] == ["x", "x"]
    assert "appears twice in one model turn" in out["messages"][1].content
    assert paid == [("a", 1)]


def test_an_id_reused_later_for_another_call_is_denied_not_answered_from_the_journal():
    paid: list = []

    @effect
    def delete_account() -> str:
        """Delete the account."""
        paid.append("deleted")
        return "deleted"

    node = GuardNode([_payments(paid), delete_account])
    first = node.handle({"name": "transfer", "args": {"to": "a", "amount": 1}, "id": "c1"}, {}, "t")
    again = node.handle({"name": "transfer", "args": {"to": "a", "amount": 1}, "id": "c1"}, {}, "t")
    other = node.handle({"name": "delete_account", "args": {}, "id": "c1"}, {}, "t")
    assert first.content == again.content == "paid 1 to a"  # the same call replayed: answered as before
    assert other.status == "error" and "already used on this thread for another call" in other.content
    assert paid == [("a", 1)]


def test_concurrent_runs_of_one_call_commit_it_once(tmp_path):
    paid: list = []
    gate = threading.Barrier(2)

    @guard
    def slow(p, c):
        gate.wait(timeout=5)  # both runs pass the guards before either commits
        return ALLOW

    # two replicas of the node in two processes, each with its journal on one file (the nodes of one
    # process order a thread's calls themselves)
    path = tmp_path / "journal.db"
    nodes = [GuardNode([_payments(paid)], [slow], journal=EffectJournal(path))]
    with in_another_process():
        nodes.append(GuardNode([_payments(paid)], [slow], journal=EffectJournal(path)))
    node = nodes[0]
    call = {"name": "transfer", "args": {"to": "a", "amount": 1}, "id": "c1"}
    out: list = []
    refused: list = []

    def handle(n):
        try:
            out.append(n.handle(call, {}, "t"))
        except CallInFlightError as exc:
            refused.append(exc)

    threads = [threading.Thread(target=handle, args=(n,)) for n in nodes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert paid == [("a", 1)]
    # the second run either finds the first in flight (refused, nothing written: the model is not told
    # a call failed that is under way) or finds its result
    outcomes = sorted(m.artifact["vfa"]["outcome"] for m in out)
    assert (outcomes, len(refused)) in ((["committed"], 1), (["committed", "committed"], 0))
    assert all(m.content == "paid 1 to a" for m in out)
    if refused:  # resumed once the first has finished: its outcome
        again = nodes[1].handle(call, {}, "t")
        assert again.artifact["vfa"]["outcome"] == "committed" and again.content == "paid 1 to a"
    assert [r.call_id for r in node.journal.committed("t")] == ["c1"]


def test_crash_recovery_verifies_again_before_running_again():
    paid: list = []
    journal = EffectJournal()
    # a write-ahead record with no result: the process died during the effect
    journal.append([("t", "c1", "transfer", "proposed", {"args": {"to": "a", "amount": 1}}),
                    ("t", "c1", "transfer", "started", {"args": {"to": "a", "amount": 1}})])

    @guard
    def frozen(p, c):
        return Deny(reason="account frozen since")

    transfer = effect(idempotent=True)(_payments(paid).__wrapped__)
    msg = GuardNode([transfer], [frozen], journal=journal).handle(
        {"name": "transfer", "args": {"to": "a", "amount": 1}, "id": "c1"}, {}, "t")
    assert msg.status == "error" and "account frozen" in msg.content and paid == []


def test_each_question_and_answer_is_journaled_once_across_edit_rounds():
    paid: list = []
    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 60}), "done"]), [_payments(paid)],
                [ask_all]).compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "go")]}, config())
    app.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 30}}), config())
    app.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 20}}), config())
    app.invoke(Command(resume="approve"), config())
    kinds = [e.kind for e in app.builder.nodes["tools"].runnable.journal.entries("t1")]
    assert kinds.count("escalated") == 3 and kinds.count("edited") == 2 and kinds.count("approved") == 1
    assert paid == [("bob", 20)]


class _SsnHandle:
    """A flow whose handle «ssn» the effect sees resolved to an SSN; it labels nothing and shows results as they are."""

    def label(self, call, state, thread_id):
        return {}

    def resolve(self, proposal):
        return {k: v.replace("«ssn»", "078-05-1120") for k, v in proposal.args.items()}

    def observe(self, proposal, spec, result):
        return str(result)


def test_the_journal_keeps_handles_and_only_the_effect_sees_resolved_values():
    sent: list = []

    @effect
    def send(body: str) -> str:
        """Send a message."""
        sent.append(body)
        return "sent"

    node = GuardNode([send], flow=_SsnHandle())
    node.handle({"name": "send", "args": {"body": "SSN «ssn»"}, "id": "c1"}, {}, "t")
    assert sent == ["SSN 078-05-1120"]
    assert "078-05-1120" not in str([e.data for e in node.journal.entries("t")])
    assert node.journal.committed("t")[0].args == {"body": "SSN «ssn»"}


def test_a_refused_call_replays_as_the_same_refusal():
    paid: list = []
    node = GuardNode([_payments(paid)], max_arg_bytes=64)
    call = {"name": "transfer", "args": {"to": "x" * 100, "amount": 1}, "id": "big"}
    first, again = node.handle(call, {}, "t"), node.handle(call, {}, "t")
    assert "over the limit of 64" in first.content and again.content == first.content
    circular: dict = {}
    circular["self"] = circular
    msg = node.handle({"name": "transfer", "args": circular, "id": "loop"}, {}, "t")
    assert msg.status == "error" and "cannot be serialised" in msg.content
    assert paid == []


def test_an_error_quoting_a_resolved_value_goes_through_the_flow():
    @effect
    def lookup_record(key: str) -> str:
        """Fails, quoting its argument."""
        raise KeyError(key)

    class Handles(_SsnHandle):
        def observe(self, proposal, spec, result):
            return str(result).replace("078-05-1120", "«ssn»")

    node = GuardNode([lookup_record], flow=Handles())
    msg = node.handle({"name": "lookup_record", "args": {"key": "«ssn»"}, "id": "c1"}, {}, "t")
    assert msg.status == "error" and "«ssn»" in msg.content and "078-05-1120" not in msg.content
    assert "078-05-1120" not in str([e.data for e in node.journal.entries("t")])
