"""A guard abandoned at its deadline does not keep the process from exiting.

What must hold (README "Performance": "Guards run on a worker thread so that a hung guard is abandoned at its
deadline and denies"): once the call is denied, the hung check is the process's no longer. The guard workers
are a `concurrent.futures.ThreadPoolExecutor`, whose threads Python joins at exit, so a script (or a service
shutting down) whose guard hung on, say, a policy server that never answers, denied the call at once and then
hung at its very end for as long as the check did, forever for a true hang. Here the check sleeps 60 s on a
0.1 s budget; the script must end within a few seconds.

Fixed: the guard workers are daemon threads (vfa._chain._DaemonPool, 32 started on demand), so a check
abandoned at its deadline no longer holds the process at exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import time
from vfa import ALLOW, GuardChain, GuardContext, Proposal

class Hung:
    name = "hung"
    timeout_s = 0.1

    def check(self, proposal, context):
        time.sleep(60)  # a policy server that never answers
        return ALLOW

print(GuardChain([Hung()]).verify(Proposal(call_id="c1", tool="pay", args={}), GuardContext()).verdict.kind)
"""


def test_a_hung_guard_does_not_hold_the_process_at_exit() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=15,
                              env=env, cwd=ROOT)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the process did not exit after the call was denied (printed {exc.stdout!r})") from None
    assert done.stdout.strip() == "deny", done.stderr
