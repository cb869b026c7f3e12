"""Reading a SQLite checkpointer's file in tests: what of a thread it still holds."""

from __future__ import annotations

import sqlite3
from typing import Any


def checkpoints_left(db: Any, thread_id: str) -> int:
    """How many checkpoints of the thread the SQLite file still holds."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id=?", (thread_id,)).fetchone()[0]
    finally:
        conn.close()
