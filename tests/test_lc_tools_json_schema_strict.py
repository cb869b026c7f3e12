"""A LangChain tool with a JSON-schema `args_schema` is judged on values it never receives.

vfa reads a JSON schema (an MCP adapter's, a `StructuredTool(args_schema={...})`) into a pydantic model
(`vfa._json_schema._model_of_json_schema`) and the guards judge what that model's *lax* validation makes
of the call: `"false"`, `"no"` and `"off"` become `False`, `"3"` becomes `3`. The tool, which
validates its input itself (`takes_written`), is handed the call as written, and LangChain does not
validate a JSON schema at all (`BaseTool._parse_input` returns a dict schema's input unchanged): the
function receives the text `"no"`, which Python reads as true.

So a guard that denies recursive deletes judges `recursive=False` and allows the call, and the tool
deletes recursively. The same under `Agent` and a retrofitted `ToolNode` (`graphs.guard_graph`).

Expected: the guards judge exactly what the tool receives: a value the schema's type does not hold as
written (a boolean written as text, a number as text) is not coerced for the guards; the call is
refused as invalid arguments, and the tool does not run.

Fixed: a JSON schema is read strictly: a value is judged as written or refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from graphs import guard_graph
from vfa import ALLOW, Agent, Deny, guard
from vfa.testing import ScriptedModel

SCHEMA = {"type": "object", "required": ["path"], "properties": {
    "path": {"type": "string"}, "recursive": {"type": "boolean"}, "depth": {"type": "integer"}}}
WRITTEN = [{"path": "/data", "recursive": "no"}, {"path": "/data", "recursive": "false"},
           {"path": "/data", "depth": "3"}]


def _parts() -> tuple[Any, Any, list[dict], list[dict]]:
    got: list[dict] = []
    judged: list[dict] = []

    def delete(path: str, recursive: Any = False, depth: Any = 1) -> str:
        got.append({"path": path, "recursive": recursive, "depth": depth})
        return f"deleted {path}" + (" and all below it" if recursive else "")

    tool = StructuredTool.from_function(delete, name="delete", description="Delete a path.", args_schema=SCHEMA)

    @guard(tools=["delete"])
    def no_recursive_delete(p, c):
        judged.append(dict(p.args))
        return Deny(reason="no recursive deletes") if p.args.get("recursive") else ALLOW

    return tool, no_recursive_delete, got, judged


def _agent(args: dict) -> tuple[ToolMessage, list[dict], list[dict]]:
    tool, g, got, judged = _parts()
    app = Agent(ScriptedModel([("delete", args), "done"]), [tool], guards=[g]).compile()
    out = app.invoke({"messages": [HumanMessage("tidy up")]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), got, judged


def _retrofit(args: dict) -> tuple[ToolMessage, list[dict], list[dict]]:
    tool, g, got, judged = _parts()
    builder = StateGraph(MessagesState)
    builder.add_node("tools", ToolNode([tool]))
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    app = guard_graph(builder, [g])
    call = {"name": "delete", "args": args, "id": "c1", "type": "tool_call"}
    out = app.invoke({"messages": [AIMessage("", tool_calls=[call])]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), got, judged


@pytest.mark.parametrize("run", [_agent, _retrofit], ids=["agent", "guard_graph"])
@pytest.mark.parametrize("args", WRITTEN, ids=[repr(a) for a in WRITTEN])
def test_a_json_schema_tool_is_judged_on_the_values_it_receives(run: Any, args: dict) -> None:
    message, got, judged = run(args)
    assert got == [], f"the tool ran with {got}; the guard judged {judged}"
    assert message.status == "error" and "invalid arguments" in message.content, message.content


@pytest.mark.parametrize("run", [_agent, _retrofit], ids=["agent", "guard_graph"])
def test_a_json_schema_tool_still_runs_with_values_of_its_types(run: Any) -> None:
    message, got, judged = run({"path": "/data/tmp", "recursive": False, "depth": 2})
    assert message.status != "error", message.content
    assert got == [{"path": "/data/tmp", "recursive": False, "depth": 2}] and judged[-1]["recursive"] is False
