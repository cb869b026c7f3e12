"""A file saver let go still refuses an erasure when the agent itself is built per request.

What must hold (docs/kernel.md "Erasing a thread": refused, `ConfigError`, while a checkpointer that keeps its checkpoints
beyond itself, a `SqliteSaver` say, has been let go and none on its store is held; a journal erased without its
checkpoints would have a resumed thread run its effects again): a service that builds its agent per request on one
journal file (as the README's thread locks allow: "agents built per request on one path") runs a thread with a
`SqliteSaver` in one request and erases it in a later one. The saver was let go in this process, none on its file
is held: `delete_thread` must refuse, nothing deleted, until a saver on that file is named.

Before: the savers a journal file's guard nodes noted (`vfa._savers.savers_of`) were held only while some guard node
of that file lived; with the first request's agent collected, the second request's agent knew of no saver, erased
the journal's entries and left every checkpoint of the thread (the tool's result in clear) in the file.

Fixed: a journal file's savers are kept for the process (vfa._savers._FILE_SAVERS).
"""

from __future__ import annotations

import gc
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


def _request_that_runs(journal: str, checkpoints: str) -> None:
    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
    with SqliteSaver.from_conn_string(checkpoints) as saver:
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "a"}})
    agent.close()


def test_a_later_requests_agent_erases_a_thread_whose_saver_was_let_go(tmp_path: Path) -> None:
    journal, checkpoints = str(tmp_path / "j.db"), str(tmp_path / "cp.db")
    _request_that_runs(journal, checkpoints)
    gc.collect()

    with Agent(ScriptedModel(["-"]), [pay], journal=journal) as agent:  # the erasing request's own agent
        # the earlier request's saver let go, its file is reached all the same, through a connection of vfa's own
        assert agent.delete_thread("a") > 0
        with SqliteSaver.from_conn_string(checkpoints) as saver:
            assert list(saver.list({"configurable": {"thread_id": "a"}})) == []
