"""Erasing a thread never crashes the process through a saver another request owns and closes.

What must hold (house rule: fail closed, a clear error, nothing lost; docs/kernel.md "Erasing a thread" with agents "built
per request on one path"): a service on request threads, each request with its own agent on one journal file and
its own `SqliteSaver.from_conn_string(...)` on one checkpoint file (closed as the request ends), some requests
erasing a thread. `delete_thread` erases through every saver the journal file's guard nodes hold, so through other
requests' savers, whose connections those requests close whenever they end. The process must survive: at worst a
`ConfigError`, never a crash.

Before: `SqliteSaver.delete_thread` ran on another request's connection while that request closed it,
and CPython's sqlite3 dereferences the freed handle: the interpreter died of a segmentation fault (a soak of four
threads died within 100 to 500 requests in 4 runs out of 4). The race is timing-dependent: this test runs that soak,
bounded (200 requests), in a child process and asserts it exits cleanly; it failed in most runs while erasure used
connections it did not own.

Fixed: a SQLite saver's file is erased through a connection of vfa's own (`vfa._savers._erase_file`).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

_CHILD = textwrap.dedent('''
    import sys
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor
    from langgraph.checkpoint.sqlite import SqliteSaver
    from vfa import Agent, ConfigError, effect
    from vfa.testing import ScriptedModel

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        return f"paid {amount} to {to}"

    journal, checkpoints = sys.argv[1], sys.argv[2]
    other = Counter()

    def request(i):
        agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
        try:
            with SqliteSaver.from_conn_string(checkpoints) as saver:
                agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]},
                                                         {"configurable": {"thread_id": f"t{i}"}})
                if i % 5 == 4:
                    agent.delete_thread(f"t{i - 1}")
        except ConfigError:
            pass
        except Exception as exc:
            other[type(exc).__name__] += 1
        finally:
            agent.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(request, range(200)))
    print(dict(other))
''')


def test_erasing_among_requests_that_close_their_savers_does_not_crash(tmp_path: Path) -> None:
    child = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path / "j.db"), str(tmp_path / "cp.db")],
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, f"the process died (exit {child.returncode}): {child.stderr[-2000:]}"
