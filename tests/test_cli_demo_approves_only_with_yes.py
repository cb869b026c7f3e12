"""`vfa demo` approves a question only with `--yes` or a person's answer at a terminal.

Fixed: without a terminal (a script, CI, `< /dev/null`) the demo answered every question "approve",
and an empty line at the prompt approved too, each journaled as a person's approval. With no one to
answer the question is now rejected, and the prompt asks until it reads "approve" or "reject".
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from vfa import EffectJournal
from vfa.cli import main


@pytest.fixture(autouse=True)
def _own_tracing(monkeypatch):
    """The demo runs in this process: its spans go to its file, never to the process's global provider."""
    from vfa import _tracing

    real = _tracing.configure_tracing
    monkeypatch.setattr(_tracing, "configure_tracing", lambda *a, **k: real(*a, **{**k, "set_global": False}))
    yield
    _tracing.use_tracer_provider(None)


def test_the_demo_without_yes_approves_nothing_when_nobody_can_answer(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal, nobody at the keyboard
    main(["demo", "--dir", str(tmp_path / "demo")])
    journal = EffectJournal(tmp_path / "demo" / "journal.db", read_only="snapshot")
    asked = [e for e in journal.entries("demo") if e.kind == "escalated"]
    approved = [e for e in journal.entries("demo") if e.kind == "approved"]
    assert asked  # the demo's agent does hit a question (a new payee)
    assert not approved, (f"no --yes and no person at a terminal, yet {len(approved)} question(s) were journaled "
                          f"as approved by a person: {[e.data for e in approved]}")


def test_the_demo_asks_again_until_it_reads_an_answer(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(["", "yes please", "approve"]))
    main(["demo", "--dir", str(tmp_path / "demo")])
    journal = EffectJournal(tmp_path / "demo" / "journal.db", read_only="snapshot")
    assert [e.data.get("type") for e in journal.entries("demo") if e.kind == "approved"] == ["approve"]
    assert capsys.readouterr().out.count("approve / reject?") == 3


class _Terminal(io.StringIO):
    """Lines a person types at a terminal."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))

    def isatty(self) -> bool:
        return True
