"""A thread id that is not valid text (bytes that are not UTF-8) is refused clearly: CLI, journal and agent.

Fixed: such a `--thread` reached SQLite as a lone surrogate, whose UnicodeEncodeError (not a
`sqlite3.Error`) escaped `vfa journal`, `vfa demo` and `EffectJournal.entries` as a traceback. The CLI
now refuses it (exit 2), the journal raises `JournalError`, and an agent given such a `thread_id`
raises `ConfigError` before any of the run's work.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vfa import EffectJournal, JournalError

ROOT = Path(__file__).resolve().parents[1]
BAD = os.fsdecode(b"t\xff")  # what Python makes of the argument bytes b"t\xff"


def _vfa(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    argv = [os.fsencode(sys.executable), b"-m", b"vfa", *(os.fsencode(a) for a in args)]
    return subprocess.run(argv, capture_output=True, timeout=120, cwd=str(cwd), stdin=subprocess.DEVNULL,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_vfa_journal_with_a_thread_that_is_not_utf8_does_not_crash(tmp_path):
    path = tmp_path / "journal.db"
    j = EffectJournal(path)
    j.append([("t", "c1", "pay", "proposed", {"args": {}})])
    j.close()
    done = _vfa("journal", str(path), "--thread", BAD, cwd=tmp_path)
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == 2 and b"is not valid text" in done.stderr, done.stderr


def test_vfa_demo_with_a_thread_that_is_not_utf8_does_not_crash(tmp_path):
    done = _vfa("demo", "--dir", str(tmp_path / "demo"), "--thread", BAD, "--yes", cwd=tmp_path)
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == 2 and b"is not valid text" in done.stderr, done.stderr


def test_the_journal_api_reports_such_a_thread_id_as_a_journal_error(tmp_path):
    j = EffectJournal(tmp_path / "journal.db")
    with pytest.raises(JournalError, match="surrogates not allowed"):
        j.entries(BAD)


def test_an_agent_given_such_a_thread_id_refuses_it_before_any_work():
    from vfa import Agent, ConfigError, effect
    from vfa.testing import ScriptedModel

    paid: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay]).compile()
    with pytest.raises(ConfigError, match="cannot be journaled: it is not valid text"):
        app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": BAD}})
    assert paid == []
