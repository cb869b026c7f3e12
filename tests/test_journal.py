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


def test_elsewhere_counts_other_connections_entries_not_its_own(tmp_path):
    path = tmp_path / "journal.db"
    here, replica = EffectJournal(path), EffectJournal(path)
    assert here.elsewhere("t") == 0 and replica.elsewhere("t") == 0  # both have read the (empty) journal
    here.append([("t", "c1", "read", "proposed", {})])
    here.commit("t", "c1", "read", {}, lambda: "mine")
    assert here.elsewhere("t") == 0  # its own writes are not news to it
    replica.commit("t", "c2", "read", {}, lambda: "theirs")  # started + committed
    here.append([("t", "c3", "read", "proposed", {})])  # interleaved with the replica's
    assert here.elsewhere("t") == 2 and here.elsewhere("u") == 0
    assert replica.elsewhere("t") == 4  # here's c1 (proposed, started, committed) and c3
    assert EffectJournal().elsewhere("t") == 0  # a private in-memory journal has no other writer


def test_once_threads_are_not_kept_any_write_elsewhere_is_news(tmp_path, monkeypatch):
    monkeypatch.setattr(journal_module, "_MAX_THREADS_KEPT", 2)
    path = tmp_path / "journal.db"
    here, replica = EffectJournal(path), EffectJournal(path)
    here.append([(f"t{i}", "c1", "read", "proposed", {}) for i in range(3)])
    before = here.elsewhere("t0")
    assert here.elsewhere("t0") == before  # nothing written elsewhere: the same number
    replica.append([("t9", "c1", "read", "proposed", {})])
    assert here.elsewhere("t0") != before  # some write elsewhere: every thread may have news


def test_threads_written_after_the_first_read_are_bounded_too(monkeypatch):
    monkeypatch.setattr(journal_module, "_MAX_THREADS_KEPT", 3)
    journal = EffectJournal()
    assert not journal.may_hold("t0")  # read: nothing there
    for i in range(5):
        journal.append([(f"t{i}", "c1", "read", "proposed", {})])
    assert journal._threads is None and journal.may_hold("never-written")  # not kept past the bound


def test_with_two_readers_writes_through_the_same_object_are_news(tmp_path):
    class Reader:
        """Stands for a privacy flow."""

    journal = EffectJournal()
    one, two = Reader(), Reader()
    journal.add_reader(one)
    journal.append([("t", "c1", "read", "proposed", {})])
    assert journal.elsewhere("t") == 0  # one reader: its own node's writes are no news
    journal.add_reader(two)
    journal.append([("t", "c2", "read", "proposed", {}), ("t", "c2", "read", "ran", {})])
    assert journal.elsewhere("t") == 2  # either reader's node may have written them
    del two  # readers are held weakly: a flow that is gone reads nothing
    import gc

    gc.collect()
    journal.append([("t", "c3", "read", "proposed", {})])
    assert journal.elsewhere("t") == 2
