"""Red team 104: a tool with a hand-written `args_schema` and a `runtime: ToolRuntime` parameter could not be
declared to keep its runtime, so an honest tool was refused.

Attack (honest tool wrongly refused). LangChain's documented way to give a tool its own schema is
`StructuredTool.from_function(fn, args_schema=Args)`, where `Args` lists what the model writes and `fn`
takes `runtime: ToolRuntime` besides (LangChain finds it in `fn`'s signature, `_injected_args_keys`;
LangGraph's `_get_all_injected_args` reads `fn`'s hints and injects the runtime). vfa's
`graphs._gate._injected_keys` reads only `args_schema` minus `tool_call_schema`, so it records no
injected argument: the runtime is neither hidden nor known. The tool's author, told by the red team 103
rule to declare `privacy_sink(internal=["runtime"])`, gets a `PolicyError` ("names unknown arguments
['runtime']"), and without the declaration every call after the thread read private data is denied
(the runtime, handed to the guards as if the model wrote it, counts as published). The same function
made with `@tool` (runtime in its schema) is accepted and runs.

Expected. The same as with `@tool`: the declaration is accepted, the tool runs with its runtime, and
what the model writes (`to`, `note`) is still checked.

Fixed. The gate reads what a ToolNode injects as LangGraph does, from the function's signature too
(`graphs._gate.injected_args`), so `runtime` is known, hidden from the guards and may be declared kept.

Where. graphs/_gate.py `_injected_keys` / `injected_args` (ignore `fn`'s signature, which LangChain and
LangGraph read), so `spec.meta[INJECTED]` misses `runtime`; guards/_privacy.py `PrivacyGuard.lint`
(`unknown` check); `GatedTool.hidden_keys`.
"""

from __future__ import annotations

from typing import Any

import pytest
from _profile_mail import CFG, SSN, USER
from _profile_mail import get_profile_in_clear as get_profile
from _tool_loop import model_node, tool_loop
from langchain_core.messages import HumanMessage
from langchain_core.tools import StructuredTool, tool
from langgraph.prebuilt import ToolNode, ToolRuntime
from pydantic import BaseModel, Field

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink
from vfa.testing import ScriptedModel

BOB = "bob@friend.example"


class ShareArgs(BaseModel):
    to: str = Field(description="who gets the note")
    note: str = Field(description="the note")


@pytest.mark.parametrize("made", ["@tool", "args_schema"])
def test_a_tool_that_keeps_its_runtime_runs_however_its_schema_is_written(made: str) -> None:
    sent: list[Any] = []

    @privacy_sink(disclose={"note": "to"}, authority=["to"], internal=["runtime"])
    def share(to: str, note: str, runtime: ToolRuntime) -> str:
        """Share a note (the runtime is read only to count the turns)."""
        sent.append((to, note, len(runtime.state["messages"])))
        return "shared"

    share_tool = tool(share) if made == "@tool" else StructuredTool.from_function(
        share, name="share", description="Share a note.", args_schema=ShareArgs)
    b = tool_loop(model_node(ScriptedModel([("get_profile", {}), ("share", {"to": BOB, "note": "hi"}),
                                            ("share", {"to": BOB, "note": f"ssn {SSN}"}), "done"])),
                  ToolNode([get_profile, share_tool]))
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt104-args-schema")
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"])
    out = app.invoke({"messages": [HumanMessage(f"Show me my profile, and say hi to {BOB}.")]}, CFG)
    assert [(to, note) for to, note, _ in sent] == [(BOB, "hi")]
    denied = [m for m in out["messages"] if m.type == "tool" and m.status == "error"]
    assert len(denied) == 1 and "note carries data" in denied[0].content
