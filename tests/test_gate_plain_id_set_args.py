"""A plain call's id (`graphs._gate._plain_id`) is the same in every process: a set among its arguments is written
by its members in order, not by its repr.

What must hold (`_plain_id`: "the same when LangGraph runs the task again (a resume after an interrupt or a crash,
a retry), so the journal answers it as it answers the model's call, and a person's answer reaches the question it
was asked for"): a task resumed in another process (a person's approval answered on another replica, a restart
after a crash) gives its plain calls the ids they had, or an effect already committed runs again and an approval
misses its question. The guard node's fingerprint writes a set as its sorted members (`_members_or_repr`) for
this reason; the gate's near-copy (`_repr_unaddressed`, `default=` of `json.dumps`) wrote `repr(set)`, whose
order follows string hashing, salted per process (PYTHONHASHSEED).

Fixed: a plain call's id writes a set argument by its members in order (vfa._guard_node._repr_unaddressed, one
for the fingerprint and the id).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
_SCRIPT = """
from graphs._gate import _TASK_ID, _plain_id
config = {"configurable": {_TASK_ID: "task-1"}}
print(_plain_id("pay", {"to": {"alice", "bob", "carol", "dave"}, "cc": frozenset({"x", "y", "z"}), "n": 5}, config))
"""


def _id_with_seed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": _ROOT}
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=120,
                         check=True)
    return out.stdout.strip()


def test_a_plain_calls_id_with_a_set_argument_is_the_same_in_another_process() -> None:
    ids = {_id_with_seed(seed) for seed in ("1", "2", "3")}
    assert len(ids) == 1, ids
