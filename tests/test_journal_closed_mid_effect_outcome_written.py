"""A journal closed while an effect it began is still running loses the effect's outcome.

`EffectJournal.close()` swapped the connection for `_Closed` at once, whatever commit was under way. An effect
that had begun (its write-ahead record `started` written) ran on and returned, and then its `committed` record,
and the `abandoned` mark that `commit` writes when it cannot record an outcome, both failed with "the journal ...
was closed ...: nothing was read or written" (though the effect had run). The journal kept an open start:

- in another process of the host (another replica), the start reads as under way for as long as this process
  lives (`running` True, `cut_off` empty): every resume of the thread there is `CallInFlightError`;
- in this process, it reads as cut off by a crash: a non-idempotent effect that did happen is put to a person
  ("it may or may not have happened"), and an idempotent one runs again.

It happens through the public API with nothing unusual: an app builds its agent per request (`with Agent(...)
as agent:`), a request's `ainvoke` times out (`asyncio.wait_for`) while its effect runs, which docs/existing-apps.md says
"runs to its end whoever stopped waiting for it", and the request's `with` block closes the agent's journal.

What must hold: an effect that began before its journal was closed has its outcome recorded when it ends
(`committed` with its result), and a resume of its thread answers from that record: paid once, nobody asked.

Fixed: EffectJournal.close() keeps the connection aside while effects it began are under way; their outcomes
are written through it (_outcome), and the last closes it (_ended_one).
"""

from __future__ import annotations

import asyncio
import threading
import time

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, EffectJournal, effect
from vfa._journal import TERMINAL
from vfa.testing import ScriptedModel


def _outcome(path, thread: str, call: str, seconds: float = 10.0) -> list[str]:
    """The call's entry kinds, once one ends it (read from the file through a journal of its own)."""
    deadline = time.monotonic() + seconds
    with EffectJournal(path, read_only=True) as reader:
        while True:
            kinds = [e.kind for e in reader.entries(thread, call_id=call)]
            if any(k in TERMINAL for k in kinds) or time.monotonic() > deadline:
                return kinds
            time.sleep(0.02)


def test_an_effect_begun_before_its_journal_was_closed_has_its_outcome_recorded(tmp_path):
    path = tmp_path / "journal.db"
    journal = EffectJournal(path)
    began, go, out = threading.Event(), threading.Event(), []

    def pay():
        began.set()
        assert go.wait(10)
        return "paid"

    def commit():
        try:
            out.append(journal.commit("t", "c1", "pay", {"to": "bob"}, pay))
        except Exception as exc:  # noqa: BLE001 - what the caller was told
            out.append(exc)

    worker = threading.Thread(target=commit)
    worker.start()
    assert began.wait(10)
    journal.close()  # another thread closes it (a request's `with Agent(...)` block ends) while the effect runs
    go.set()
    worker.join(10)
    assert out == [(True, "paid")], out  # before: JournalError "... was closed ...: nothing was read or written"
    kinds = _outcome(path, "t", "c1", seconds=0)
    assert kinds == ["started", "committed"], kinds  # before: ["started"], read as under way by other processes


def test_a_request_closed_after_its_timeout_leaves_its_payment_recorded_and_paid_once(tmp_path):
    paid: list[str] = []
    began, go = threading.Event(), threading.Event()

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        began.set()
        assert go.wait(10)
        paid.append(to)
        return f"sent {amount} to {to}"

    saver = InMemorySaver()  # the app's checkpointer, which outlives its requests
    config = {"configurable": {"thread_id": "t"}}
    script = [("transfer", {"to": "bob", "amount": 7}), "done"]

    async def request() -> None:
        with Agent(ScriptedModel(script), [transfer], journal=str(tmp_path / "journal.db")) as agent:
            app = agent.compile(checkpointer=saver)
            task = asyncio.ensure_future(app.ainvoke({"messages": [("user", "pay bob 7")]}, config))
            assert await asyncio.to_thread(began.wait, 10)
            task.cancel()  # the request timed out while the payment runs
            try:
                await task
            except asyncio.CancelledError:
                pass
        # the agent, and its journal, are closed; the payment ends now

    asyncio.run(request())
    go.set()
    kinds = _outcome(tmp_path / "journal.db", "t", "call_0_0")
    assert paid == ["bob"]
    assert "committed" in kinds, kinds  # before: ["proposed", "started"], no outcome, no `abandoned` either

    with Agent(ScriptedModel(script), [transfer], journal=str(tmp_path / "journal.db")) as agent:  # the next request
        out = agent.compile(checkpointer=saver).invoke(None, config)
    assert not out.get("__interrupt__"), out["__interrupt__"]  # before: "... may or may not have happened"
    assert paid == ["bob"]
