"""The event loops guard workers run async checks on are closed when the process exits.

What must hold (house rule: no leaks; STYLE: a user's script ends clean): a guard whose `check` is a coroutine
(`async def check`, or `acheck`) runs on a guard worker's own event loop, kept for that worker's later checks.
Those loops were never closed: at exit each one was collected unclosed, which Python reports as
"ResourceWarning: unclosed event loop" and, depending on the order the collector finalised its socket pair, as
an "Exception ignored in: BaseEventLoop.__del__ ... ValueError: Invalid file descriptor: -1" traceback printed
at the end of a user's script that used an async guard. A process that ran one must exit without either.

Fixed: each worker's event loop is listed and closed at exit (one still running is left).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
from vfa import ALLOW, GuardChain, GuardContext, Proposal

class AsyncGuard:
    name = "async_guard"

    async def check(self, proposal, context):
        return ALLOW

chain = GuardChain([AsyncGuard()])  # budgeted: run on a guard worker, on that worker's loop
print(chain.verify(Proposal(call_id="c1", tool="pay", args={}), GuardContext()).verdict.kind)
"""


def test_a_worker_loop_is_closed_at_exit() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-W", "always::ResourceWarning", "-c", SCRIPT], capture_output=True,
                          text=True, timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "allow"
    assert "unclosed event loop" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr
