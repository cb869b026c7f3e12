"""Red team 84: a LangChain tool whose `args_schema` is a JSON schema (a dict, as MCP adapters make
them) has every argument dropped: guards judge `{}` and the tool runs with `{}`.

Fault. `_from_langchain_tool` (vfa/_tools.py) gives a tool whose schema is not a pydantic model an
empty model with `extra="allow"`; `ToolSpec.validate` then returns only the model's declared fields
(none), so the proposal's `args` are `{}`. The guards judge a call with no arguments (a budget guard
reading `p.args.get("amount", 0)` allows it), the effect is committed with `{}` (a tool with defaults
runs on its defaults, not on what was proposed), and the journal records the model's arguments as
what ran. Guarded by `guard_graph`, `GuardMiddleware` or an `Agent`, alike.

Why not a documented limit: docs/kernel.md says guards judge "the model's arguments" and that arguments
are "validated against the tool's pydantic schema"; a tool without one is accepted silently, and
nothing says its arguments are not seen. What the guards judge, what runs and what is journaled must
be one call.

Expected: the guards see the arguments the model wrote (`{"to": "eve", "amount": 900}`), so the budget
guard denies and the tool does not run (or, at the least, the tool is refused at set-up).
Fixed: a JSON schema is read into a pydantic model (`_model_of_json_schema`); properties it allows
beyond those it names are judged and given as written.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from graphs import guard_graph
from vfa import ALLOW, ArgumentError, Deny, ToolSpec, guard


def test_a_json_schema_tool_is_judged_on_the_arguments_it_runs_with() -> None:
    ran: list[dict] = []

    def wire(**kwargs) -> str:
        ran.append(kwargs)
        return "wired"

    schema = {"type": "object", "properties": {"to": {"type": "string"}, "amount": {"type": "integer"}},
              "required": ["to", "amount"]}
    tool = StructuredTool(name="wire", description="Wire money.", func=wire, args_schema=schema)
    judged: list[dict] = []

    @guard
    def budget(p, c):
        judged.append(dict(p.args))
        return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")

    builder = StateGraph(MessagesState)
    builder.add_node("tools", ToolNode([tool]))
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    app = guard_graph(builder, [budget])
    call = {"name": "wire", "args": {"to": "eve", "amount": 900}, "id": "c1", "type": "tool_call"}
    try:
        out = app.invoke({"messages": [AIMessage("", tool_calls=[call])]}, {"configurable": {"thread_id": "t"}})
    except Exception:  # noqa: BLE001 - refusing such a tool is acceptable too
        out = None
    assert judged in ([], [{"to": "eve", "amount": 900}]), f"the guards judged {judged}, not the model's arguments"
    assert ran == [], f"the tool ran with {ran}, past a guard that denies amount 900"
    if out is not None:
        (msg,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
        assert msg.status == "error"


def test_a_json_schema_tool_gets_what_its_guards_judged() -> None:
    got: list[dict] = []
    schema = {"type": "object", "properties": {
        "to": {"type": "string"}, "amount": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}},
        "meta": {"type": "object", "properties": {"k": {"type": "string"}}},
        "mode": {"enum": ["fast", "slow"], "default": "slow"}}, "required": ["to", "amount"]}
    tool = StructuredTool(name="wire", description="Wire money.", func=lambda **kw: got.append(kw) or "ok",
                          args_schema=schema)
    spec = ToolSpec.of(tool)
    args = spec.validate({"to": "eve", "amount": 12, "tags": ["a"], "meta": {"k": "v"}, "note": "more"})
    assert args == {"to": "eve", "amount": 12, "tags": ["a"], "meta": {"k": "v"}, "mode": "slow", "note": "more"}
    spec.fn(**args)
    assert got == [args]  # plain values: a mapping stays a mapping
    for bad in ({"to": "eve"}, {"to": "eve", "amount": "lots"}, {"to": "eve", "amount": 1, "mode": "warp"}):
        with pytest.raises(ArgumentError):
            spec.validate(bad)
