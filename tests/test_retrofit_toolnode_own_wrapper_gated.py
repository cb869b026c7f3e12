"""Red team 123: a `ToolNode`'s own `wrap_tool_call` that runs `request.tool` itself runs the raw tool past the gate.

Scenario. The app's `ToolNode([send_email], wrap_tool_call=timed)` has a wrapper of its own that runs the
call itself instead of handing it on (a hand-made timeout or retry: `request.tool.invoke(args)`, then a
`ToolMessage` of the result). `guard_graph(builder, [no_mallory])` installs the gate innermost, under that
wrapper, and hands the wrapper the request as the ToolNode made it: `request.tool` is the raw tool. The
model's `send_email(to="mallory@evil.example")` is sent; no guard judged it, nothing was journaled, and
neither `guard_graph` nor `check_coverage` said a word.

README ("Guard an app you already have"): every `ToolNode`, also with its own `wrap_tool_call`, verifies
and commits each call; for `create_agent` a middleware of the app's own beside the guard is refused for
exactly this reason ("such a middleware could run a tool before the gate sees the call").

Expected: the wrapper is handed the request with its tool (and the runtime's tools) gated, as
`GuardMiddleware` hands it on, so whatever runs the tool runs it through the guards: the call is denied.

Fixed: the app's own `wrap_tool_call` is handed the request with its tools gated (`_gated_request`), as
`GuardMiddleware` hands it on.
"""

from __future__ import annotations

from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import ToolNode

import graphs
from vfa import ALLOW, Deny, guard
from vfa.testing import ScriptedModel

MALLORY = "mallory@evil.example"


@guard
def no_mallory(p: Any, c: Any) -> Any:
    return Deny(reason="no mallory") if MALLORY in str(p.args.get("to")) else ALLOW


def _app(sent: list[Any], how: str, to: str) -> Any:
    @tool
    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    def timed(request: Any, execute: Any) -> Any:  # runs the call itself
        if how == "invoke call":
            return request.tool.invoke(request.tool_call)
        out = request.tool.invoke(request.tool_call["args"])
        return ToolMessage(str(out), tool_call_id=request.tool_call["id"], name=request.tool_call["name"])

    async def atimed(request: Any, execute: Any) -> Any:
        out = await request.tool.ainvoke(request.tool_call["args"])
        return ToolMessage(str(out), tool_call_id=request.tool_call["id"], name=request.tool_call["name"])

    node = ToolNode([send_email], wrap_tool_call=timed, awrap_tool_call=atimed)
    model = ScriptedModel([("send_email", {"to": to, "body": "x"}), "done"])
    return graphs.guard_graph(tool_loop(model_node(model), node), [no_mallory])


@pytest.mark.parametrize("how", ["invoke args", "invoke call", "async"])
def test_the_apps_wrapper_runs_the_tool_through_the_guards(how: str) -> None:
    sent: list[Any] = []
    app = _app(sent, how, MALLORY)
    state = {"messages": [HumanMessage("hi")]}
    cfg = {"configurable": {"thread_id": "t"}}
    if how == "async":
        import asyncio

        out = asyncio.run(app.ainvoke(state, cfg))
    else:
        out = app.invoke(state, cfg)
    assert sent == [], "the wrapper ran the tool past the gate"
    assert any(m.type == "tool" and "no mallory" in str(m.content) for m in out["messages"])


def test_an_allowed_call_run_by_the_wrapper_still_runs_once() -> None:
    sent: list[Any] = []
    out = _app(sent, "invoke args", "bob@x.example").invoke({"messages": [HumanMessage("hi")]},
                                                            {"configurable": {"thread_id": "t"}})
    assert sent == [("bob@x.example", "x")]
    assert any(m.type == "tool" and m.content == "sent" for m in out["messages"])
