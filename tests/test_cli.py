from __future__ import annotations

import json
import subprocess
import sys

from vfa import EffectJournal


def vfa(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_demo_runs_offline_and_shows_allow_repair_escalation(tmp_path):
    proc = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "committed transfer" in out and "ran       get_balance" in out
    assert "repair   amount 150 exceeds the per-transfer limit 100" in out
    assert "transfer(to='alice', amount=100" in out  # the model repaired its plan from the evidence
    assert "? person asked: 'bob' is a new payee" in out and "approved" in out
    assert "balance now 90" in out
    journal = EffectJournal(tmp_path / "out" / "journal.db")
    assert [r.args["to"] for r in journal.committed("demo")] == ["landlord", "alice", "bob"]
    spans = [json.loads(line) for line in (tmp_path / "out" / "trace.jsonl").read_text().splitlines()]
    assert any(s["name"] == "invoke_agent payments" for s in spans)
    assert any(s["name"] == "run_guardrail within_limit" and s["attributes"]["vfa.verdict"] == "repair" for s in spans)

    printed = vfa("journal", "out/journal.db", cwd=tmp_path)
    assert printed.returncode == 0 and "thread demo" in printed.stdout
    assert "escalated by 'new_payee'" in printed.stdout


def test_journal_of_a_missing_file_is_a_clear_error(tmp_path):
    proc = vfa("journal", "nope.db", cwd=tmp_path)
    assert proc.returncode == 2 and "no journal at nope.db" in proc.stderr
