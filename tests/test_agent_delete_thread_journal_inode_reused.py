"""A new journal file does not inherit the savers of a removed one that had its inode.

What must hold (docs/kernel.md "Erasing a thread": "what is let go is remembered per journal file for the process"): a
journal file removed (a tenant gone) and a new one created are two files. An agent on the new file, never run with
any checkpointer, erases its threads from no checkpoint file it never used (nor refuses naming one).

Found: `vfa._savers._FILE_SAVERS` keeps a journal file's savers for the process under its key, the file's device and
inode (`EffectJournal._key`); a file created after another was removed commonly gets its inode (ext4, tmpfs), and
with it the removed file's savers for good: every erasure refused naming the other tenant's file (and one still
held by that tenant would be erased from). Before the newest change the entry went with the last guard node of the
removed file. The reuse is made certain by giving both files one key.

Fixed: a journal file's savers are keyed by its inode and its path (`vfa._savers.savers_of`).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


def test_a_new_journal_file_on_a_reused_inode_starts_with_no_savers(tmp_path: Path, monkeypatch) -> None:
    from vfa import _journal

    # the new file given the removed one's device and inode, as ext4 and tmpfs commonly do (made certain here)
    monkeypatch.setattr(_journal, "_file_key", lambda path: "file:1:4242")
    old, new = tmp_path / "tenant_a.db", tmp_path / "tenant_b.db"
    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=str(old))
    with SqliteSaver.from_conn_string(str(tmp_path / "tenant_a_checkpoints.db")) as saver:
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "a"}})
    agent.close()
    del agent, saver
    gc.collect()
    for leftover in tmp_path.glob("tenant_a.db*"):
        os.remove(leftover)
    with Agent(ScriptedModel(["-"]), [pay], journal=str(new)) as fresh:
        assert fresh.delete_thread("a") == 0  # nothing of tenant A's: neither refused nor erased from its file
    with SqliteSaver.from_conn_string(str(tmp_path / "tenant_a_checkpoints.db")) as saver:
        assert list(saver.list({"configurable": {"thread_id": "a"}})), "tenant A's checkpoints were erased"
