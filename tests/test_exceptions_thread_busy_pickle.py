"""`vfa.ThreadBusy` cannot be pickled or copied: `pickle.loads(pickle.dumps(ThreadBusy("t1", 60.0)))` and
`copy.copy(...)` raise `TypeError: ThreadBusy.__init__() missing 1 required positional argument: 'wait_s'`.

`ThreadBusy` is the error a gate raises out of a run (LangGraph hands it on, `graphs` documents it as a control
signal). An app serving runs in a process pool, a task queue or anything that ships exceptions between
processes gets an unpickling `TypeError` about `__init__` in place of the busy thread, and loses what was busy.
Every other exception of vfa round-trips (`CoverageError` and `PolicyError` keep their fields on purpose): this
one must too, keeping its message and which thread was busy.

Fixed: `ThreadBusy` keeps `thread_id` and `wait_s` and pickles (`__reduce__`) as itself.
"""

from __future__ import annotations

import copy
import pickle

import pytest

from vfa import ThreadBusy, VfaError


@pytest.mark.parametrize("clone", [lambda e: pickle.loads(pickle.dumps(e)), copy.copy, copy.deepcopy],
                         ids=["pickle", "copy", "deepcopy"])
def test_thread_busy_round_trips(clone):
    err = ThreadBusy("emma:chat-1", 60.0)
    again = clone(err)
    assert isinstance(again, ThreadBusy) and isinstance(again, VfaError)
    assert str(again) == str(err)
    assert "emma:chat-1" in str(again)
    assert again.thread_id == "emma:chat-1" and again.wait_s == 60.0


def test_thread_busy_names_its_thread_and_wait():
    err = ThreadBusy("t1", 2.5)
    assert err.thread_id == "t1" and err.wait_s == 2.5 and "2.5 s" in str(err)
