"""A journal file's agents, once closed, leave nothing of that file behind in the process when they kept no durable saver.

What must hold (house rule: nothing grows without bound per run): an app that gives each session a journal file of its
own (a per-session or per-tenant file, removed when the session ends), checkpointing in memory, serves sessions for as
long as it runs. Per file, vfa keeps what a later erasure needs: the checkpointers that keep checkpoints beyond
themselves (a `SqliteSaver`'s file, docs/kernel.md "Erasing a thread"). An `InMemorySaver` takes its checkpoints with it, so a
file whose agents only ever used one leaves nothing to remember.

Before: every journal file a guard node was built on kept its savers' record (`vfa._savers._FILE_SAVERS`) for the
life of the process, whatever it held: about 2 KB per file, for good (2.2 MB per 1,000 sessions, measured).

Fixed: a journal file's Savers is kept for the process (_FILE_SAVERS) only once it notes a saver that keeps
checkpoints beyond itself; otherwise it goes with its nodes.
"""

from __future__ import annotations

import gc
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect
from vfa import _savers
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


def _session(journal: Path) -> None:
    with Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=str(journal)) as agent:
        agent.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "pay")]},
                                                           {"configurable": {"thread_id": "t"}})
        agent.delete_thread("t")


def test_sessions_on_files_of_their_own_leave_no_record_per_file(tmp_path: Path) -> None:
    gc.collect()
    before = len(_savers._FILE_SAVERS)
    for i in range(30):
        _session(tmp_path / f"session-{i}.db")
    gc.collect()
    kept = len(_savers._FILE_SAVERS) - before
    assert kept == 0, f"{kept} records of journal files whose agents are gone (and kept no durable saver) are still held"
