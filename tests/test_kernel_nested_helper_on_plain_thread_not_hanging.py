"""Red team 120: a helper agent that a gated tool runs on a thread pool of its own hangs the app for good.

The README: "Guard that agent too, with the same gate if you like: a call made from inside a call of the
same thread (the inner agent gets the outer `thread_id`) does not wait for the lock the outer call holds."
Red team 82 made that hold for LangGraph's pool threads and awaited code, which run in a copy of the
caller's context: `_OneAtATime.of` (`vfa/_guard_node.py`) recognises a nested call by the context variable
`_HELD`.

Interleaving: the tool runs its helper with a deadline, the way a tool bounds a slow sub-task, on a thread
that does not copy the context: `concurrent.futures.ThreadPoolExecutor.submit` (sync) or
`loop.run_in_executor` (async), passing the helper the conversation's `thread_id` from the tool's own
`RunnableConfig` (or the whole config, as LangChain asks tools to do for tracing). The helper's call reaches
the gate on that thread with an empty `_HELD`, so it waits for the thread's lock, which the outer call holds
while it waits for the helper: neither moves. Nothing is denied, nothing times out, the run never returns,
and every later call on the thread queues behind it. A deadline in the tool does not help: leaving the
executor's `with` block joins its thread (still a hang); awaited with `asyncio.wait_for`, the delegation
fails every time at the deadline, and the helper's effect then runs anyway, after its caller has ended
(its result reaches nobody). The same app without vfa answers at once.

Fixed (as far as it can be): a call waits for its conversation's lock at most `GuardNode.lock_wait_s`
seconds (`LOCK_WAIT_S`, 60 by default), then is denied (`ThreadBusy`, naming the cause and the cure), and
a model call's read hook raises it: the run ends, and the helper's effect never runs after its caller. A
plain thread carries nothing that would tell a nested call from a sibling, so the helper's call cannot be
let through there; run it with the context copied (`contextvars.copy_context().run`, `asyncio.to_thread`)
and it is ordered among the calls made inside its caller, and runs (checked below). Test: the bound set
to 1 s; each scenario must end within the limit, with the helper's mail never sent unless the context
was copied.

Where (suggested): `_OneAtATime.of` waits without bound and knows a nested call only by a context variable, which
a plain thread never gets. Wait for a thread's lock with a bound and deny the call when it passes ("another
call on this conversation holds it"), failing closed instead of hanging; and carry the held marker in the
run's config too (`configurable`), which a tool hands on explicitly where the context does not follow.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import os
import subprocess
import sys
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from vfa import ALLOW, guard
from vfa.testing import ScriptedModel

LIMIT_S = 8.0
"""A child process runs each scenario: a hung run cannot be stopped from inside the process (the pool's
threads are joined at exit), so the child is killed at the limit."""


def _apps(runner: str) -> tuple[Any, list[str]]:
    def once(name: str, args: dict[str, Any], call_id: str) -> Any:
        def rule(ms: list[Any]) -> Any:
            if isinstance(ms[-1], ToolMessage):
                return AIMessage("done")
            return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])
        return rule

    @guard
    def allow_all(p: Any, c: Any) -> Any:
        return ALLOW

    told: list[str] = []

    @tool
    def notify(to: str) -> str:
        """Tell someone."""
        told.append(to)
        return f"told {to}"

    mw = GuardMiddleware([allow_all])
    mw.gate.node.lock_wait_s = 1.0  # the bound, short for the test (60 s by default)
    helper = create_agent(ScriptedModel(rule=once("notify", {"to": "bob"}, "inner-1")), [notify],
                          middleware=[GuardMiddleware(gate=mw.gate)])

    def helper_config(config: RunnableConfig) -> dict[str, Any]:
        return {"configurable": {"thread_id": config["configurable"]["thread_id"]}}

    if runner == "copied":
        @tool
        def delegate(task: str, config: RunnableConfig) -> str:
            """Hand a task to the helper agent, on a pool thread given a copy of the context."""
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                out = pool.submit(contextvars.copy_context().run, helper.invoke, {"messages": [("user", task)]},
                                  helper_config(config)).result(timeout=3)
            return str(out["messages"][-1].content)
    elif runner == "executor":
        @tool
        def delegate(task: str, config: RunnableConfig) -> str:
            """Hand a task to the helper agent, with a deadline."""
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                out = pool.submit(helper.invoke, {"messages": [("user", task)]}, helper_config(config)).result(timeout=3)
            return str(out["messages"][-1].content)
    else:
        @tool
        async def delegate(task: str, config: RunnableConfig) -> str:
            """Hand a task to the helper agent (its SDK is sync: run off the event loop)."""
            loop = asyncio.get_running_loop()
            running = loop.run_in_executor(None, helper.invoke, {"messages": [("user", task)]}, helper_config(config))
            out = await (asyncio.wait_for(running, timeout=3) if runner.endswith("deadline") else running)
            return str(out["messages"][-1].content)

    app = create_agent(ScriptedModel(rule=once("delegate", {"task": "tell bob"}, "outer-1")), [delegate],
                       middleware=[mw], checkpointer=InMemorySaver())
    return app, told


def scenario(runner: str) -> str:
    """The status and text of the `delegate` call's message, and who was told."""
    app, told = _apps(runner)
    config = {"configurable": {"thread_id": "t"}}
    go = {"messages": [("user", "go")]}
    out = app.invoke(go, config) if runner in ("executor", "copied") else asyncio.run(app.ainvoke(go, config))
    delegated = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    return f"{delegated.status} {delegated.content!r} told {told}"


def _child(runner: str) -> subprocess.CompletedProcess | None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    try:
        return subprocess.run([sys.executable, os.path.abspath(__file__), runner], capture_output=True, text=True,
                              timeout=LIMIT_S, env=env, cwd=root)
    except subprocess.TimeoutExpired:
        return None


@pytest.mark.parametrize("runner", ["executor", "run_in_executor", "run_in_executor_deadline", "copied"])
def test_a_helper_run_on_a_plain_pool_thread_neither_hangs_nor_runs_after_its_caller(runner: str) -> None:
    proc = _child(runner)
    assert proc is not None, (
        f"{runner}: the run did not finish within {LIMIT_S:g} s: the helper's call, on a thread that did not "
        "copy the context, waits for the conversation's lock that the calling `delegate` holds while it waits "
        "for the helper")
    assert proc.returncode == 0, proc.stderr[-2000:]
    outcome = proc.stdout.strip().splitlines()[-1]
    if runner == "copied":  # a nested call it can tell: ordered among its caller's, and run
        assert outcome == "success 'done' told ['bob']", outcome
    else:  # denied after the bound: the helper's mail is never sent, before or after its caller ends
        assert outcome.endswith("told []"), outcome


if __name__ == "__main__":
    print(scenario(sys.argv[1]))
