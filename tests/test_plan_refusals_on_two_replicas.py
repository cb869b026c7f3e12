"""Two replicas running one plan's task journal its refusals and its rejection twice.

README (exactly once across replicas): "a call another replica ended, committed or failed first is
vfa.replayed in this run's span"; the node's refusals under the model's id go through `EffectJournal.end`
("One transaction ... so a call never gets two outcomes") for that reason.

How it breaks: two replicas (two processes, one journal file, one checkpointer) resume one thread from the
same checkpoint (a crashed worker's thread picked up twice), so both run the same LangGraph task:
- `verify_plan` refusing a malformed plan, or `stop_plan` the steps after a failed one
  (`GuardNode.refusals`): each replica files every refusal under a key of its own (`<id>#<tag>-<uuid>`);
- `verify_plan` rejecting a plan (`GuardNode.record_denial`): a key both replicas share, but checked
  (`journal.last`) and written (`journal.append`) in two transactions;
- a step whose id an earlier call of the thread took (`GuardNode._refuse` with `reply_to`): a key both
  make alike (`_minted`), read (`journal.entries`) and written (`journal.append`) in two transactions.
Whenever the other replica writes between this one's check and write, each call is journaled denied twice.

Here the other replica runs (in a thread, standing for another process) exactly when this one first reads
or writes the journal under such a key; reading first, writing after.

What must hold: each such call is journaled denied once, whichever replica wrote it; the other answers it
from that record.

Fixed: refusals, record_denial and _refuse under a key of the node's own check and write in one transaction
(journal.end).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from pydantic import BaseModel

from conftest import in_another_process
from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import ALLOW, Agent, Deny, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class Bank(BaseModel):
    balance: int


bank = Policy(Bank)


@effect
@bank.requires("0 < amount <= state.balance")
@bank.ensures("state.balance -= amount")
def transfer(to: str, amount: int) -> str:
    """Send money."""
    return f"sent {amount} to {to}"


@guard
def no_eve(p: Any, c: Any) -> Any:
    return Deny(reason="eve is blocked") if p.args.get("to") == "eve" else ALLOW


class Racing(EffectJournal):
    """A journal that lets `other` (another replica's run) go first when this one first reads or writes under a
    key holding `marker`: right after the read, right before the write."""

    marker: str | None = None
    other: Any = None

    def _race(self, call_ids: list[Any]) -> None:
        if self.other is not None and any(self.marker in str(c) for c in call_ids):
            run, self.other = self.other, None
            worker = threading.Thread(target=run)
            worker.start()
            worker.join(60)

    def last(self, thread_id: str, call_id: str) -> Any:
        found = super().last(thread_id, call_id)
        self._race([call_id])
        return found

    def entries(self, thread_id: Any = None, **kw: Any) -> Any:
        found = super().entries(thread_id, **kw)
        self._race([kw.get("call_id")])
        return found

    def append(self, entries: Any) -> None:
        self._race([e[1] for e in entries])
        super().append(entries)

    def end(self, thread_id: str, call_id: str, entries: Any, **kw: Any) -> Any:
        self._race([call_id])
        return super().end(thread_id, call_id, entries, **kw)


def _replica(tmp_path: Path, plans: list[AIMessage], before: str) -> tuple[Any, Racing]:
    def rule(messages: list[Any]) -> Any:  # the n-th user message gets the n-th plan; a plan's results, "done"
        if isinstance(messages[-1], HumanMessage):
            return plans[sum(isinstance(m, HumanMessage) for m in messages) - 1]
        return "done"

    journal = Racing(tmp_path / "journal.db")
    saver = SqliteSaver(sqlite3.connect(str(tmp_path / "checkpoints.db"), check_same_thread=False))
    with in_another_process():  # thread locks of its own
        agent = Agent(ScriptedModel(rule=rule), [transfer], guards=[no_eve], world=lambda: Bank(balance=100),
                      journal=journal)
        return plan_execute(agent, max_replans=0).compile(checkpointer=saver, interrupt_before=[before]), journal


def _race(tmp_path: Path, plans: list[AIMessage], before: str, marker: str) -> tuple[EffectJournal, list[Any], list[Any]]:
    """Run the user's messages on replica one up to `before` of the last plan; then both resume from there."""
    one, journal = _replica(tmp_path, plans, before)
    two, _ = _replica(tmp_path, plans, before)
    for n in range(len(plans)):
        one.invoke({"messages": [HumanMessage("pay")]}, CFG)
        while one.get_state(CFG).next and (n < len(plans) - 1 or one.get_state(CFG).next != (before,)):
            one.invoke(None, CFG)
    assert one.get_state(CFG).next == (before,)
    said_two: list[Any] = []
    journal.marker = marker
    journal.other = lambda: said_two.extend(two.invoke(None, CFG)["messages"])
    said_one = one.invoke(None, CFG)["messages"]
    assert journal.other is None and said_two, "the other replica ran"
    return journal, said_one, said_two


def _calls(*calls: tuple[str, dict[str, Any], str]) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": n, "args": a, "id": i} for n, a, i in calls])


def _denied(journal: EffectJournal, marker: str) -> list[str]:
    return [e.call_id for e in journal.entries("t") if e.kind == "denied" and marker in e.call_id]


def _same_answers(one: list[Any], two: list[Any]) -> None:
    def answers(messages: list[Any]) -> list[Any]:
        return [(m.tool_call_id, m.status, m.content, (m.artifact.get("vfa") or {}).get("call_id")) for m in messages
                if isinstance(m, ToolMessage) and m.status == "error"]

    assert answers(one) == answers(two), "both replicas answer the call with its one record"


def test_a_malformed_plan_on_two_replicas_is_journaled_once(tmp_path: Path) -> None:
    plan = _calls(("transfer", {"to": "a", "amount": 5}, "x"), ("transfer", {"to": "b", "amount": 5}, "x"))
    journal, one, two = _race(tmp_path, [plan], "verify_plan", "#plan-refused-")
    denied = _denied(journal, "#plan-refused-")
    assert len(denied) == 2, f"2 refused calls, journaled denied {len(denied)} times: {denied}"
    _same_answers(one, two)


def test_a_stopped_plan_on_two_replicas_is_journaled_once(tmp_path: Path) -> None:
    plan = _calls(("transfer", {"to": "eve", "amount": 5}, "a"), ("transfer", {"to": "b", "amount": 5}, "b"))
    journal, one, two = _race(tmp_path, [plan], "stop_plan", "#not-run-")
    denied = _denied(journal, "#not-run-")
    assert len(denied) == 1, f"1 call not run, journaled denied {len(denied)} times: {denied}"
    _same_answers(one, two)


def test_a_rejected_plan_on_two_replicas_is_journaled_once(tmp_path: Path) -> None:
    plan = _calls(("transfer", {"to": "a", "amount": 60}, "a"), ("transfer", {"to": "b", "amount": 60}, "b"))
    journal, one, two = _race(tmp_path, [plan], "verify_plan", "a#plan-")
    denied = _denied(journal, "#plan-")
    assert len(denied) == 2, f"2 rejected calls, journaled denied {len(denied)} times: {denied}"
    _same_answers(one, two)


def test_a_step_reusing_an_id_on_two_replicas_is_journaled_once(tmp_path: Path) -> None:
    first = _calls(("transfer", {"to": "a", "amount": 5}, "c1"))
    second = _calls(("transfer", {"to": "b", "amount": 5}, "c1"))
    journal, one, two = _race(tmp_path, [first, second], "tools", "#reused-")
    denied = _denied(journal, "#reused-")
    assert len(denied) == 1, f"1 refused step, journaled denied {len(denied)} times: {denied}"
    _same_answers(one, two)
