"""A journal may share its file with the app's LangGraph `SqliteSaver`, whichever of the two made its tables first.

What must hold (README: a writer refuses "another app's database" so as to leave it as it was; house rule: a
legitimate setup is not refused): a file holding vfa's journal beside a `SqliteSaver`'s checkpoints is one
vfa accepts, as it does whenever the journal was made first and on every start after that. The refusal of a
database holding tables and no journal (`EffectJournal._open`) turned on which of the two came first: an app
that runs `saver.setup()` before opening its journal on the same file (`journal=EffectJournal("app.db")`,
`SqliteSaver.from_conn_string("app.db")`) was refused as "another app's database (it holds 'checkpoints',
'writes')", though the same file, its journal made first, opens and runs; and LangGraph's saver keeps no
`user_version` for the stamp to take. Another app's own tables are still refused.

Fixed: tables checkpoints and writes carrying LangGraph's key columns are not another app's.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, JournalError, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


@pytest.mark.parametrize("first", ["journal", "checkpoints"])
def test_a_journal_beside_the_apps_checkpoints(tmp_path: Path, first: str) -> None:
    path = str(tmp_path / "app.db")
    if first == "journal":
        EffectJournal(path).close()
    with SqliteSaver.from_conn_string(path) as saver:
        saver.setup()
        with EffectJournal(path) as journal:
            agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
            agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]},
                                                     {"configurable": {"thread_id": "t"}})
            assert [r.args["to"] for r in journal.committed("t")] == ["bob"]
            assert agent.delete_thread("t") > 0
            assert list(saver.list({"configurable": {"thread_id": "t"}})) == []


def test_a_table_named_checkpoints_of_another_app_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, at TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(JournalError, match="another app's database"):
        EffectJournal(path)
    assert path.read_bytes() == before
