"""A plan's refusals are journaled (and traced) again when their node runs again after a crash.

README (exactly once; Tracing): a node run again (a resume, a crash and replay) answers what it decided
from the journal, "neither journaled nor traced again" (`GuardNode._refuse`), and an `execute_tool` span
"whose call did not commit ... ends in error ... once: a call its node, run again, answers from the journal
carries `vfa.replayed` and no second error".

How it breaks: `graphs.plan_execute` refuses the calls of a malformed plan (`verify_plan`: two steps under
one id, too many steps) and the calls after a failed step (`stop_plan`) through `GuardNode.refusals`, which
keys each record `<id>#<tag>-<uuid>`: a key no later run can find. When the process dies after the journal
write and before LangGraph saved the task's writes, the resumed run runs the task again and every refused
call is journaled a second time, its denial traced as a new decision: the journal's audit and the error
views count each refusal once per run of the task.

The crash here is the journal's own: a journal whose first write under the refusals' keys is followed by an
error (the process dying right after the write), so LangGraph keeps no write of the task and runs it again
on resume, with the same task id.

What must hold: each refused call of a plan is journaled once however often its task runs; the run again
answers it from the journal, its span `vfa.replayed` with no error and no second decision.

Fixed: GuardNode.refusals keys each refusal by its call, place and task (_minted) and files it with
journal.end; a refusal already on record is answered from the journal (vfa.replayed).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import ALLOW, Agent, Deny, EffectJournal, effect, guard
from vfa.testing import ScriptedModel, capture_spans

CFG = {"configurable": {"thread_id": "t"}}


class Bank(BaseModel):
    balance: int


bank = Policy(Bank)
SENT: list[Any] = []


@effect
@bank.requires("0 < amount <= state.balance")
@bank.ensures("state.balance -= amount")
def transfer(to: str, amount: int) -> str:
    """Send money."""
    SENT.append((to, amount))
    return f"sent {amount} to {to}"


@guard
def no_eve(p: Any, c: Any) -> Any:
    return Deny(reason="eve is blocked") if p.args.get("to") == "eve" else ALLOW


class DiesAfterWriting(EffectJournal):
    """A journal whose process dies right after its first write under a key holding `marker` (once)."""

    marker: str | None = None

    def _dies(self, call_ids: list[str]) -> None:
        if self.marker is not None and any(self.marker in c for c in call_ids):
            self.marker = None
            raise RuntimeError("the process died after the journal's write")

    def append(self, entries: Any) -> None:
        super().append(entries)
        self._dies([e[1] for e in entries])

    def end(self, thread_id: str, call_id: str, entries: Any, **kw: Any) -> Any:
        earlier = super().end(thread_id, call_id, entries, **kw)
        self._dies([call_id])
        return earlier


def _crash_and_resume(plan: AIMessage, marker: str) -> tuple[list[ToolMessage], DiesAfterWriting, list[Any], int]:
    """The run that dies, then the run again: its tool messages, the journal, its spans, and how many
    refusals the run that died had journaled."""
    journal = DiesAfterWriting()
    journal.marker = marker
    agent = Agent(ScriptedModel([plan, "done"]), [transfer], guards=[no_eve], world=lambda: Bank(balance=100),
                  journal=journal)
    app = plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver())
    try:
        app.invoke({"messages": [("user", "pay")]}, CFG)
    except RuntimeError:
        pass
    assert journal.marker is None, "the run died after its write"
    before = len([e for e in journal.entries("t") if e.kind == "denied" and marker in e.call_id])
    with capture_spans() as spans:  # the run again
        out = app.invoke(None, CFG)
        finished = list(spans.get_finished_spans())
    return [m for m in out["messages"] if isinstance(m, ToolMessage)], journal, finished, before


def _calls(*calls: tuple[str, dict[str, Any], str]) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": n, "args": a, "id": i} for n, a, i in calls])


def _denied_once(journal: EffectJournal, tag: str, expected: int) -> None:
    denied = [e.call_id for e in journal.entries("t") if e.kind == "denied" and f"#{tag}-" in e.call_id]
    assert len(denied) == expected, f"{expected} refused calls, journaled denied {len(denied)} times: {denied}"


def _replayed_without_error(finished: list[Any], ids: list[str], before: int) -> None:
    """The run again: the `before` refusals on record are answered from it (`vfa.replayed`, no error, no decision),
    the others decided once."""
    spans = [s for s in finished if s.name == "execute_tool transfer" and s.attributes.get("gen_ai.tool.call.id") in ids]
    replayed = [s for s in spans if s.attributes.get("vfa.replayed") is True and s.status.status_code.name != "ERROR"]
    errors = [s for s in spans if s.status.status_code.name == "ERROR" and not s.attributes.get("vfa.replayed")]
    assert before >= 1 and len(replayed) == before and len(errors) == len(spans) - before, \
        [(dict(s.attributes), s.status.status_code.name) for s in spans]
    decided = [s for s in finished if s.name == "run_guardrail verify_plan"]
    assert len(decided) == len(errors), f"{before} refusals on record, {len(decided)} decided again"


def test_a_malformed_plans_refusals_are_journaled_once_across_a_crash_and_replay() -> None:
    plan = _calls(("transfer", {"to": "a", "amount": 5}, "x"), ("transfer", {"to": "b", "amount": 5}, "x"))
    said, journal, finished, before = _crash_and_resume(plan, "#plan-refused-")
    assert [m.tool_call_id for m in said] == ["x", "x"] and all(m.status == "error" for m in said)
    keys = [m.artifact["vfa"]["call_id"] for m in said]
    assert len(set(keys)) == 2 and all(journal.last("t", k).kind == "denied" for k in keys), keys
    _denied_once(journal, "plan-refused", 2)
    _replayed_without_error(finished, ["x"], before)


def test_a_stopped_plans_later_steps_are_journaled_once_across_a_crash_and_replay() -> None:
    SENT.clear()
    plan = _calls(("transfer", {"to": "eve", "amount": 5}, "a"), ("transfer", {"to": "b", "amount": 5}, "b"),
                  ("transfer", {"to": "c", "amount": 5}, "c"))
    said, journal, finished, before = _crash_and_resume(plan, "#not-run-")
    assert SENT == [] and [m.tool_call_id for m in said] == ["a", "b", "c"]
    assert all("not run" in str(m.content) for m in said[1:])
    _denied_once(journal, "not-run", 2)
    _replayed_without_error(finished, ["b", "c"], before)
