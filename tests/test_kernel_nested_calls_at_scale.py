"""Red team 135: an async app serving more conversations at once than vfa has call threads hangs for
good when a tool awaits a guarded helper agent (an agent used as a tool).

Red team 82 moved the blocking half of every async call (`GuardNode._afunc`, the gate's `asettle`) onto
vfa's own pool (`vfa._effects._CALLS`, 256 threads), where the call then waits in `on_loop` for its effect
to finish on the event loop. An effect that awaits a guarded agent (docs/existing-apps.md: "Guard that agent too
... awaited") needs a thread of that same pool for each of the helper's calls. So once as many
conversations as the pool has threads are inside such an effect at once (a server's 257th user), every
thread waits for a helper call that waits for a thread: nothing is denied, nothing times out
(`lock_wait_s` bounds only a thread's lock), the run never returns, and every later async call of the
process queues behind it. 255 conversations finish in about 2 s; 257 never do. docs/existing-apps.md promises
"never a hang" for calls that wait; the same app without vfa answers at once.

Where: `vfa/_effects.py` (`off_loop` takes a `_CALLS` thread even when called from inside an effect a
`_CALLS` thread is waiting for, `on_loop`).

Fixed: a call made inside an effect a vfa thread waits for (`_WAITED_ON`) runs on a thread of its
own, never one of `_CALLS`, so a nested call never waits for a pool thread.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

LIMIT_S = 40.0
"""A child process runs each scenario: a hung run cannot be stopped from inside the process (the pool's
threads are joined at exit), so the child is killed at the limit."""


def _n() -> int:
    from vfa._effects import _CALLS

    return _CALLS._max_workers + 4  # one conversation more than vfa has call threads is enough


def agent_helper() -> int:
    """N conversations served at once by one async vfa Agent whose effect awaits a guarded helper Agent."""
    from vfa import Agent, effect
    from vfa.testing import ScriptedModel

    noted: list[str] = []

    @effect
    def note(text: str) -> str:
        """Note a text."""
        noted.append(text)
        return "noted"

    helper = Agent(ScriptedModel([("note", {"text": "x"}), "done"]), [note]).compile()

    @effect
    async def ask_helper(question: str) -> str:
        """Ask the helper agent."""
        out = await helper.ainvoke({"messages": [("user", question)]})
        return str(out["messages"][-1].content)

    app = Agent(ScriptedModel([("ask_helper", {"question": "q"}), "done"]), [ask_helper]).compile()

    async def main() -> None:
        await asyncio.gather(*(app.ainvoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": f"t{i}"}})
                               for i in range(_n())))

    asyncio.run(main())
    return len(noted)


def create_agent_helper() -> int:
    """The same with create_agent and GuardMiddleware, outside and inside."""
    from langchain.agents import create_agent
    from langchain_core.tools import tool

    from graphs import GuardMiddleware
    from vfa.testing import ScriptedModel

    noted: list[str] = []

    @tool
    def note(text: str) -> str:
        """Note a text."""
        noted.append(text)
        return "noted"

    helper = create_agent(ScriptedModel([("note", {"text": "x"}), "done"]), [note], middleware=[GuardMiddleware()])

    @tool
    async def ask_helper(question: str) -> str:
        """Ask the helper agent."""
        out = await helper.ainvoke({"messages": [("user", question)]})
        return str(out["messages"][-1].content)

    app = create_agent(ScriptedModel([("ask_helper", {"question": "q"}), "done"]), [ask_helper],
                       middleware=[GuardMiddleware()])

    async def main() -> None:
        await asyncio.gather(*(app.ainvoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": f"t{i}"}})
                               for i in range(_n())))

    asyncio.run(main())
    return len(noted)


@pytest.mark.parametrize("scenario", ["agent_helper", "create_agent_helper"])
def test_more_conversations_than_call_threads_with_a_helper_agent_do_not_hang(scenario: str) -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (os.path.dirname(here), os.environ.get("PYTHONPATH")) if p)}
    try:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), scenario], capture_output=True, text=True,
                              timeout=LIMIT_S, env=env, cwd=here)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{scenario}: more conversations at once than vfa has call threads, each awaiting a guarded helper "
                    f"agent, did not finish within {LIMIT_S:g} s: every call thread waits for a helper call that waits "
                    "for a call thread")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == f"ran {_n()}", proc.stderr[-2000:]


if __name__ == "__main__":
    print("ran", globals()[sys.argv[1]]())
