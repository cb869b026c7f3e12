"""A call the guard node refuses under an id of its own is traced outside its call's span,
and traced (and journaled) again as a new denial each time its node runs again.

README (Tracing): "an `execute_tool` span carries its call's `vfa.outcome`, and one whose call did not
commit (denied, rejected, failed) ends in error ... once: a call its node, run again, answers from the
journal carries `vfa.replayed` and no second error"; `tests/test_tracing_replayed_denial.py`: "one denial
is one error span".

How it breaks: a turn whose calls share an id has the second refused (`<id>#duplicate-<i>`), and a call
reusing an id an earlier call of the thread took is refused under `<id>#reused-<uuid>`. Both refusals are
journaled with `journal.append` under an id minted for them, never looked up again: when the node runs
again (another call of the turn asked a person, and the run is resumed; a crash replayed the task) the
call is refused anew, a second `proposed`/`denied` record in the journal and a second denial in the
trace, with no `vfa.replayed`: every answered question counts the turn's refused calls once more in
the error views, the `vfa.guard.verdicts` counter and an audit of the journal. The duplicate's denial
is also traced as a `run_guardrail schema` span straight under `invoke_agent`, with no `execute_tool`
span of its own: no `vfa.outcome`, no `error.type`.

Cause: `GuardNode._func` (vfa/_guard_node.py, `turn()`) refuses a duplicate outside `handle`, so outside
its span; `_refuse(..., reply_to=...)` appends a fresh record whatever the journal holds, and the reused
id's record is keyed by a random suffix (`_handle`).

What must hold: each refused call is one `execute_tool` span in error, its decision a `run_guardrail`
span under it; the same task run again answers it from the journal (`vfa.replayed`, no second error,
no second record).

Fixed: `_minted` keys such a refusal by its call and task, `_refuse` answers one already filed from
the journal (`vfa.replayed`), and `GuardNode.refuse_duplicate` denies a duplicate in its own `execute_tool` span.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from conftest import config
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel, capture_spans


def _run(bank, turns):
    """Run the agent over `turns` until a transfer of 60 asks a person, then approve: the spans and journal."""
    transfer, lookup = bank.tools()
    journal = EffectJournal()
    app = Agent(ScriptedModel([*turns, "done"]), [transfer, lookup], bank.guards(), name="pay",
                journal=journal).compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        assert app.invoke({"messages": [("user", "pay")]}, config()).get("__interrupt__")
        app.invoke(Command(resume="approve"), config())
        finished = spans.get_finished_spans()
    assert bank.sent == [("bob", 60)]
    return finished, journal


def _calls(*calls):
    return AIMessage("", tool_calls=[{"name": n, "args": a, "id": i} for n, a, i in calls])


def test_a_duplicate_id_is_denied_once_under_a_span_of_its_own(bank):
    turn = _calls(("lookup", {"who": "bob"}, "B"), ("lookup", {"who": "eve"}, "B"),
                  ("transfer", {"to": "bob", "amount": 60}, "A"))
    finished, journal = _run(bank, [turn])
    by_id = {s.context.span_id: s for s in finished}
    refused = [s for s in finished if s.name == "run_guardrail schema"]
    assert refused, "the duplicate's denial is traced"
    parents = [by_id[s.parent.span_id].name for s in refused]
    assert all(p == "execute_tool lookup" for p in parents), f"the duplicate's denial is traced under {parents}"
    errors = [s for s in finished if s.name == "execute_tool lookup" and s.status.status_code.name == "ERROR"]
    assert len(errors) == 1, f"one refused call, {len(errors)} error spans"
    denied = [e for e in journal.entries("t1") if e.kind == "denied"]
    assert len(denied) == 1, f"one refused call, journaled denied {len(denied)} times: {[e.call_id for e in denied]}"


def test_a_reused_id_is_denied_once_across_a_resume(bank):
    first = _calls(("lookup", {"who": "bob"}, "B"))
    second = _calls(("lookup", {"who": "eve"}, "B"), ("transfer", {"to": "bob", "amount": 60}, "A"))
    finished, journal = _run(bank, [first, second])
    lookups = [s for s in finished if s.name == "execute_tool lookup" and s.attributes.get("vfa.outcome") == "denied"]
    errors = [s for s in lookups if s.status.status_code.name == "ERROR"]
    assert len(errors) == 1, f"one refused call, {len(errors)} error spans"
    assert all(s.attributes.get("vfa.replayed") for s in lookups if s not in errors)
    verdicts = [s for s in finished if s.name == "run_guardrail schema"]
    assert len(verdicts) == 1, f"one denial, traced {len(verdicts)} times"
    denied = [e for e in journal.entries("t1") if e.kind == "denied"]
    assert len(denied) == 1, f"one refused call, journaled denied {len(denied)} times: {[e.call_id for e in denied]}"
