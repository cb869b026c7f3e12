"""Exactly-once across a real process crash: a child is SIGKILLed, a second process resumes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal

CHILD = Path(__file__).with_name("crash_child.py")


def child(workdir: Path, mode: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHILD), str(workdir), mode], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def ledger(workdir: Path) -> list[str]:
    path = workdir / "ledger.txt"
    return path.read_text().splitlines() if path.exists() else []


def test_crash_after_commit_resume_returns_the_recorded_result(tmp_path):
    crashed = child(tmp_path, "after-commit")
    assert crashed.returncode == -9, crashed.stderr
    assert ledger(tmp_path) == ["bob 7"]
    resumed = child(tmp_path, "resume")
    assert resumed.returncode == 0, resumed.stderr
    out = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert out["tools"] == ["sent 7 to bob"] and out["last"] == "done"
    assert ledger(tmp_path) == ["bob 7"]  # the effect ran exactly once
    kinds = [e.kind for e in EffectJournal(tmp_path / "journal.db").entries("crash")]
    assert kinds.count("committed") == 1 and kinds.count("started") == 1


def test_crash_mid_effect_escalates_a_non_idempotent_effect(tmp_path):
    crashed = child(tmp_path, "mid-effect")
    assert crashed.returncode == -9, crashed.stderr
    assert ledger(tmp_path) == ["bob 7"]
    resumed = child(tmp_path, "resume")
    out = json.loads(resumed.stdout.strip().splitlines()[-1])
    (question,) = out["interrupt"]
    assert question["guard"] == "journal" and "may or may not have happened" in question["question"]
    assert ledger(tmp_path) == ["bob 7"]  # not re-run blindly
    approved = child(tmp_path, "approve")
    out = json.loads(approved.stdout.strip().splitlines()[-1])
    assert out["tools"] == ["sent 7 to bob"]
    assert ledger(tmp_path) == ["bob 7", "bob 7"]  # re-run only because a person approved it
    kinds = [e.kind for e in EffectJournal(tmp_path / "journal.db").entries("crash")]
    assert kinds[-3:] == ["approved", "restarted", "committed"]


def test_crash_mid_effect_reruns_an_idempotent_effect(tmp_path):
    assert child(tmp_path, "mid-effect", IDEMPOTENT="1").returncode == -9
    resumed = child(tmp_path, "resume", IDEMPOTENT="1")
    out = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert out["interrupt"] == [] and out["tools"] == ["sent 7 to bob"]
    assert ledger(tmp_path) == ["bob 7", "bob 7"]


def test_a_call_one_replica_recovers_and_commits_is_not_then_ended_failed_by_another(tmp_path):
    # both replicas find the call cut off by a crash; B runs it again (idempotent) and commits while A
    # is still checking it, and A's check denies: A must answer with B's outcome, not end it twice
    from langchain_core.messages import AIMessage, HumanMessage

    from vfa import ALLOW, Deny, EffectJournal, GuardNode, effect, guard

    crash = {"on": True}
    ran: list[int] = []

    @effect(idempotent=True)
    def pay(iban: str, amount: int) -> str:
        """Pay."""
        ran.append(amount)
        if crash["on"]:
            raise KeyboardInterrupt("power cut")
        return "paid"

    @guard
    def limit(p, c):
        return Deny(reason="over the limit") if p.args["amount"] > c.world["limit"] else ALLOW

    call = {"name": "pay", "args": {"iban": "DE44", "amount": 500}, "id": "c1", "type": "tool_call"}
    state = {"messages": [HumanMessage("pay 500 to DE44", id="h1"), AIMessage("", tool_calls=[call], id="a1")]}

    def node(world):
        return GuardNode([pay], [limit], world=world, journal=EffectJournal(tmp_path / "journal.db"))

    try:
        node({"limit": 1000}).handle(call, state, "t")
    except KeyboardInterrupt:
        pass
    crash["on"] = False
    replica_b, seen = node({"limit": 1000}), []

    def world_a():
        if not seen:  # while A checks the call again, B recovers it
            seen.append(replica_b.handle(call, state, "t"))
        return {"limit": 100}  # A's check denies it

    answer = node(world_a).handle(call, state, "t")
    kinds = [e.kind for e in EffectJournal(tmp_path / "journal.db").entries("t", call_id="c1")]
    assert seen[0].content == "paid" and answer.content == "paid" and answer.artifact["vfa"]["outcome"] == "committed"
    assert kinds.count("committed") == 1 and "failed" not in kinds and ran == [500, 500]
