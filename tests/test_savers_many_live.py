"""Noting many live checkpointers stays linear, and deferring the prune lets no saver go unnoticed.

What must hold (docs/kernel.md "Erasing a thread"): `delete_thread` refuses (`ConfigError`) while a saver that keeps its
checkpoints beyond itself has been let go and none on its store is held. A service that keeps thousands of savers
alive (one per tenant) notes each once; before, every new saver pruned the whole list and scanned it again
(3,000 savers: 1.1 s; 6,000: 8.6 s, quadratic). Now the list is pruned once it has doubled, and `held` prunes
before it answers, so a saver closed between two prunes is still let go and refused.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ConfigError
from vfa._savers import Savers


class ServerSaver:
    """Stands for a saver whose checkpoints outlive it (on a server): a store vfa cannot read."""

    def delete_thread(self, thread_id: str) -> None:
        """Erase the thread's checkpoints (there are none)."""


def _counting(savers: Savers) -> list[int]:
    calls = [0]
    prune = savers._prune

    def counted() -> list[Any]:
        calls[0] += 1
        return prune()

    savers._prune = counted  # type: ignore[method-assign]
    return calls


def test_noting_thousands_of_live_savers_prunes_a_logarithmic_number_of_times() -> None:
    savers = Savers()
    calls = _counting(savers)
    live = [InMemorySaver() for _ in range(4096)]
    for saver in live:
        savers.note(saver)
    for saver in live:  # met again: no prune, no scan
        savers.note(saver)
    assert calls[0] <= 12
    assert len(savers.held()) == 4096


def test_a_saver_let_go_between_prunes_is_still_refused() -> None:
    savers = Savers()
    live = [InMemorySaver() for _ in range(20)]
    for saver in live:
        savers.note(saver)
    gone = ServerSaver()
    savers.note(gone)  # appended after the last prune
    del gone
    gc.collect()
    with pytest.raises(ConfigError, match="ServerSaver"):
        savers.held()


def test_a_saver_noted_twice_is_held_once() -> None:
    savers = Savers()
    saver = ServerSaver()
    for _ in range(3):
        savers.note(saver)
    assert savers.held() == [saver]
