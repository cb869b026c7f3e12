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


def test_a_second_demo_keeps_the_ledger_its_commits_left_and_does_not_run_a_finished_thread_again(tmp_path):
    first = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "model: Done: sent 100 to landlord (rent); sent 100 to alice" in first.stdout
    again = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "already ran on thread 'demo'" in again.stdout and "balance is 90" in again.stdout
    assert "propose" not in again.stdout
    # a new thread runs on the world the first one left: 90 cannot pay the rent of 100
    other = vfa("demo", "--dir", "out", "--yes", "--thread", "two", cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    assert "(balance 90)" in other.stdout and "amount 100 exceeds balance 90" in other.stdout
    assert "model: Stopped: transfer denied by guard 'within_balance'" in other.stdout
    journal = EffectJournal(tmp_path / "out" / "journal.db")
    assert [r.args["to"] for r in journal.committed("demo")] == ["landlord", "alice", "bob"]
    assert journal.committed("two") == []
    assert json.loads((tmp_path / "out" / "ledger.json").read_text())["balance"] == 90


def test_a_demo_stopped_at_its_question_goes_on_from_there(tmp_path):
    from langgraph.checkpoint.sqlite import SqliteSaver

    from vfa._demo import build_demo_agent

    workdir = tmp_path / "out"
    workdir.mkdir()
    agent, ledger = build_demo_agent(workdir)
    with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
        out = agent.compile(checkpointer=saver).invoke(
            {"messages": [("user", "pay the bills")]}, {"configurable": {"thread_id": "demo"}})
    assert "'bob' is a new payee" in out["__interrupt__"][0].value["question"] and ledger.balance == 100
    proc = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "waits for an answer" in proc.stdout and "! person answers: approve" in proc.stdout
    assert "committed transfer -> \"sent 10 to bob (coffee); balance 90\"" in proc.stdout
    assert [r.args["to"] for r in EffectJournal(workdir / "journal.db").committed("demo")] == ["landlord", "alice", "bob"]


def test_journal_of_an_unknown_thread_says_so_and_names_the_threads_it_holds(tmp_path):
    """A mistyped `--thread` is no silent empty history: exit 1, the journal's threads named."""
    journal = EffectJournal(tmp_path / "j.db")
    journal.append([("alpha", "c1", "pay", "proposed", {"args": {}})])
    journal.close()
    proc = vfa("journal", "j.db", "--thread", "alhpa", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "no thread 'alhpa' in j.db (its threads: alpha)" in proc.stderr
    assert vfa("journal", "j.db", "--thread", "alpha", cwd=tmp_path).returncode == 0
    EffectJournal(tmp_path / "empty.db").close()
    empty = vfa("journal", "empty.db", cwd=tmp_path)
    assert empty.returncode == 0 and "holds no entries" in empty.stderr


def test_a_journal_names_its_threads_in_the_order_they_began(tmp_path):
    """`EffectJournal.threads` lists each thread once, oldest first, however its entries interleave."""
    journal = EffectJournal(tmp_path / "j.db")
    assert journal.threads() == []
    journal.append([("beta", "c1", "pay", "proposed", {"args": {}}), ("alpha", "c1", "pay", "proposed", {"args": {}}),
                    ("beta", "c2", "pay", "proposed", {"args": {}}), ("gamma", "c1", "pay", "proposed", {"args": {}})])
    assert journal.threads() == ["beta", "alpha", "gamma"]
    journal.close()
    proc = vfa("journal", "j.db", "--thread", "delta", cwd=tmp_path)
    assert proc.returncode == 1 and "(its threads: beta, alpha, gamma)" in proc.stderr
