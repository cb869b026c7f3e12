"""A retrofitted records tool whose result is no JSON text never shows its handled private fields in clear.

Attack. docs/privacy.md ("The privacy guard", set-up): with `guard_graph(..., flow=flow)` a ToolNode's tool
annotated to return records ("`-> dict`, a list, a `TypedDict`, a model") is "labelled field by field
and the model is shown handles". A ToolNode hands on text, and LangChain makes that text with
`json.dumps`, falling back to `str()` when the value is no JSON value. So a tool annotated `-> Profile`
(a pydantic model), `-> DProfile` (a dataclass), or `-> dict` whose record holds one date (a birth
date, a timestamp: common in HR or CRM records) reaches the gate as a Python repr
(`name='Ann' ssn='078-05-1120'`). The gate's `_record` cannot `json.loads` it, keeps it as text, and
the flow labels that text whole and shows it as it is: the SSN, declared private and handled
(`privacy_source(private=["ssn"])`, `handle=True` by default), is in the model's context in clear.
vfa's own `Agent` shows the same tool's record with a handle.

Expected. The model is shown no private value a records tool declares handled: the SSN is replaced
by a handle (or the whole result shown as one), whatever Python type carries the record.

Invoked with plain arguments through `guard_tool` (the way docs/privacy.md gives an app's own node), a model or
a dataclass comes back as its repr, the SSN in clear, too (`_record` keeps it as `repr(out)`).

Where. `graphs/_gate.py` `_record` (reads only JSON text as records; a model or dataclass as its repr) with `result_shape` saying
"records" for these annotations; `guards/_flow.py` then labelled the repr text whole and showed it.

Fixed: the text of a tool annotated to return records that is no JSON (a repr) is shown as one handle
when a private field is handled (`Source.records`); invoked with plain arguments, the record is read
as JSON writes it (`to_jsonable_python`), field by field (red team 103).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.prebuilt import ToolNode
from pydantic import BaseModel

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"


class Profile(BaseModel):
    name: str
    ssn: str


@dataclasses.dataclass
class DProfile:
    name: str
    ssn: str


@tool
@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def model_profile() -> Profile:
    """The user's profile (a pydantic model)."""
    return Profile(name="Ann", ssn=SSN)


@tool
@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def dataclass_profile() -> DProfile:
    """The user's profile (a dataclass)."""
    return DProfile(name="Ann", ssn=SSN)


@tool
@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def dated_profile() -> dict:
    """The user's profile, with the date it was last updated."""
    return {"name": "Ann", "ssn": SSN, "updated": datetime.date(2024, 3, 14)}


@pytest.mark.parametrize("profile", [model_profile, dataclass_profile, dated_profile], ids=lambda t: t.name)
def test_a_records_tool_never_shows_a_handled_private_field_in_clear(profile: Any) -> None:
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt103-records")
    b = tool_loop(model_node(ScriptedModel([(profile.name, {})])), ToolNode([profile]))
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=[profile.name])
    out = app.invoke({"messages": [HumanMessage("Show me my profile.")]}, {"configurable": {"thread_id": "t"}})
    shown = [m for m in out["messages"] if m.type == "tool"]
    assert len(shown) == 1 and shown[0].artifact["vfa"]["outcome"] == "ran", shown
    assert "Ann" in str(shown[0].content) or "«" in str(shown[0].content)  # the tool ran and was shown
    assert SSN not in str(shown[0].content), f"the model was shown the handled SSN in clear: {shown[0].content!r}"


@pytest.mark.parametrize("profile", [model_profile, dataclass_profile], ids=lambda t: t.name)
def test_a_gated_records_tool_invoked_with_plain_arguments_hands_back_handles(profile: Any) -> None:
    # docs/privacy.md: "Invoked with plain arguments (not a tool call), a gated tool returns the flow's view of its
    # result, in the result's own kind: records with handles in place of private values". `_record` keeps a
    # model or a dataclass as its repr, which the flow labels whole and hands back as it is.
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt103-records")
    gate = graphs.ToolGate([flow.guard()], flow=flow, read_only=[profile.name])
    out = graphs.guard_tool(profile, gate=gate).invoke({}, {"configurable": {"thread_id": "t"}})
    assert SSN not in str(out), f"a plain invoke handed back the handled SSN in clear: {out!r}"
