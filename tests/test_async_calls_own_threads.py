"""Red team 82: under `ainvoke`, a handful of tool calls at once hang the event loop's app for good.

The async guard node (`GuardNode._afunc`, and the gate's `ToolGate.asettle`) runs its sync
implementation with `asyncio.to_thread`, on the loop's default executor (min(32, CPUs + 4) threads),
and that thread then blocks in `on_loop` until the effect, sent back to the loop, finishes. An effect
that itself needs the default executor (`asyncio.to_thread` for a blocking SDK; LangChain runs every
sync tool's `ainvoke` there) waits for a thread that every vfa call holds while waiting for it. So as
many calls at once as the executor has threads deadlock: conversations served at once by an async
`Agent` whose effect uses `to_thread`, or one `create_agent` turn of parallel calls to a sync tool
(the calls of one thread wait for each other in those threads as well). No deadline, no error: the
app hangs, and every later call of the process queues behind it.

Fixed: async callers run a call's blocking half on vfa's own threads (`vfa._effects.off_loop`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

WORKERS = min(32, (os.cpu_count() or 1) + 4)
"""The threads of asyncio's default executor on this machine."""
N = WORKERS + 2
LIMIT_S = 10.0
"""A child process runs each scenario: a hung run cannot be stopped from inside the process (the
executor's threads are joined at exit), so the child is killed at the limit."""


def agent_conversations() -> int:
    """N conversations served at once by one async vfa Agent; its effect uses asyncio.to_thread."""
    from vfa import Agent, effect
    from vfa.testing import ScriptedModel

    paid: list[str] = []

    @effect
    async def pay(to: str) -> str:
        """Pay `to`."""
        await asyncio.sleep(0.2)  # the payment API's round trip
        await asyncio.to_thread(paid.append, to)  # a blocking SDK call, kept off the loop
        return "ok"

    app = Agent(ScriptedModel([("pay", {"to": "bob"}), "done"]), [pay]).compile()

    async def main() -> None:
        await asyncio.gather(*(app.ainvoke({"messages": [("user", "pay bob")]},
                                           {"configurable": {"thread_id": f"t{i}"}}) for i in range(N)))

    asyncio.run(main())
    return len(paid)


def create_agent_parallel_calls() -> int:
    """One create_agent turn of N parallel calls to a sync tool, under ainvoke, with GuardMiddleware."""
    from langchain.agents import create_agent
    from langchain_core.tools import tool

    from graphs import GuardMiddleware
    from vfa.testing import ScriptedModel

    seen: list[str] = []

    @tool
    def weather(city: str) -> str:
        """The weather in a city."""
        seen.append(city)
        return f"sunny in {city}"

    turn = [[("weather", {"city": f"city{i}"}) for i in range(N)], "ok"]
    agent = create_agent(ScriptedModel(turn), [weather], middleware=[GuardMiddleware(read_only=["weather"])])
    asyncio.run(agent.ainvoke({"messages": [("user", "weather everywhere")]}, {"configurable": {"thread_id": "t"}}))
    return len(seen)


@pytest.mark.parametrize("scenario", ["agent_conversations", "create_agent_parallel_calls"])
def test_calls_at_once_under_ainvoke_do_not_hang(scenario: str) -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (os.path.dirname(here), os.environ.get("PYTHONPATH")) if p)}
    try:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), scenario], capture_output=True, text=True,
                              timeout=LIMIT_S, env=env, cwd=here)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{scenario}: {N} calls at once (the default executor has {WORKERS} threads) did not finish "
                    f"within {LIMIT_S:g} s: each vfa call holds an executor thread while its tool waits for one")
    assert proc.returncode == 0 and proc.stdout.strip() == f"ran {N}", proc.stderr[-2000:]


if __name__ == "__main__":
    print("ran", globals()[sys.argv[1]]())
