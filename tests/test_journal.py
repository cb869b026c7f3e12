"""The journal's answer to "may this thread have entries?": never no when it has some, even when
another connection (a replica, another process) wrote them."""

from __future__ import annotations

import vfa._journal as journal_module
from vfa import EffectJournal


def test_a_private_journal_knows_its_threads_from_its_own_writes():
    journal = EffectJournal()
    assert not journal.may_hold("t")
    journal.append([("t", "c1", "read", "proposed", {"args": {}})])
    ok, _ = journal.commit("u", "c1", "pay", {}, lambda: "paid")
    assert ok and journal.may_hold("t") and journal.may_hold("u") and not journal.may_hold("v")


def test_threads_written_by_another_connection_are_seen(tmp_path):
    path = tmp_path / "journal.db"
    here, replica = EffectJournal(path), EffectJournal(path)
    assert not here.may_hold("t")  # read once: nothing on record
    replica.commit("t", "c1", "read", {}, lambda: "result")  # another connection commits meanwhile
    assert here.may_hold("t") and not here.may_hold("u")
    here.append([("u", "c1", "read", "proposed", {})])
    replica.append([("w", "c1", "read", "proposed", {})])
    assert here.may_hold("u") and here.may_hold("w")
    assert EffectJournal(path).may_hold("t")  # a journal opened later reads what is there


def test_a_journal_of_too_many_threads_answers_maybe(monkeypatch):
    monkeypatch.setattr(journal_module, "_MAX_THREADS_KEPT", 3)
    journal = EffectJournal()
    journal.append([(f"t{i}", "c1", "read", "proposed", {}) for i in range(5)])
    assert journal.may_hold("never-written")  # not kept: every thread may have entries (the reader queries)
    assert journal.entries("never-written") == []
