"""Red team 79: a flow-gated tool invoked with plain arguments hands back the values the flow hides.

Attack. The docs/privacy.md sends a node of the app's own that runs a tool itself to "the graph's own gate
(`guard_tool(tool, gate=...)`)", and `guard_tool` documents two ways to invoke: with a tool call (a
`ToolMessage` comes back) or with plain arguments ("to get the tool's result"). With a privacy flow
on the gate, only the first goes through the flow's view. Invoked with plain arguments:

- `get_profile` returns `{"ssn": "078-05-1120"}` in clear, though the same call as a tool call shows
  the model `«ssn:...»`;
- a tool given a handle (`encode_text(text="«ssn:...»")`) returns `MDc4LTA1LTExMjA=`, the SSN in
  base64, where as a tool call the flow shows the result as one derived handle (a tool that encodes
  a private value "hands the model nothing of it").

Impact. An app node that runs the model's calls this way (the pattern of LangGraph's own
`BasicToolNode` tutorial: `tools_by_name[name].invoke(args)`, then a `ToolMessage` of the result)
puts private values, or encodings of them that no value tracking can follow, in the model's
context, though every call went through the gate and its privacy guard.

Where. `graphs/_gate.py:ToolGate.settle`: with a flow, an output that is a `ToolMessage` (or a
`Command` writing one) is replaced by the flow's text, a `Command`/list/tuple by the node's message,
but any other output (the tool's raw dict or str, which is what a plain-argument invoke gets) is
returned as it is (`return out`). Fix: with a flow, hand back the flow's view for plain invocations
too (its text, or the value it encodes), never the raw output.

Fixed: with a flow, a plain invoke gets the flow's view in the result's own kind (records with
handles, a text with them), as the model would be shown it (`graphs._gate._view`).
"""

from __future__ import annotations

import base64
import json

from langchain_core.tools import tool

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source

ME = "me@home.example"
SSN = "078-05-1120"
CONFIG = {"configurable": {"thread_id": "t"}}


def _gated() -> tuple[object, object]:
    @tool
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN}

    @tool
    @privacy_sink(internal=["text"])
    @privacy_source(pure=True)
    def encode_text(text: str) -> str:
        """Encode a text in base64."""
        return base64.b64encode(text.encode()).decode()

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt79-plain-args")
    gate = graphs.ToolGate([flow.guard()], flow=flow, read_only=["get_profile", "encode_text"])
    return graphs.guard_tool(get_profile, gate=gate), graphs.guard_tool(encode_text, gate=gate)


def _leaks(value: object) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return SSN in text or base64.b64encode(SSN.encode()).decode() in text


def test_as_a_tool_call_the_model_is_shown_handles() -> None:
    profile, encode = _gated()
    shown = profile.invoke({"name": "get_profile", "args": {}, "id": "c1", "type": "tool_call"}, CONFIG)
    handle = json.loads(shown.content)["ssn"]
    assert handle.startswith("«ssn:") and not _leaks(shown.content)
    encoded = encode.invoke({"name": "encode_text", "args": {"text": handle}, "id": "c2", "type": "tool_call"}, CONFIG)
    assert not _leaks(encoded.content)


def test_with_plain_arguments_the_private_value_is_not_handed_back() -> None:
    profile, _ = _gated()
    out = profile.invoke({}, CONFIG)
    assert not _leaks(out), f"a plain invoke returned {out!r}"


def test_with_plain_arguments_a_value_computed_from_a_handle_is_not_handed_back() -> None:
    profile, encode = _gated()
    shown = profile.invoke({"name": "get_profile", "args": {}, "id": "c1", "type": "tool_call"}, CONFIG)
    handle = json.loads(shown.content)["ssn"]
    out = encode.invoke({"text": handle}, CONFIG)
    assert not _leaks(out), f"a plain invoke returned {out!r}, the SSN encoded"


def test_with_plain_arguments_the_result_keeps_its_kind_with_handles_in_it() -> None:
    profile, _ = _gated()
    out = profile.invoke({}, CONFIG)
    assert isinstance(out, dict) and out["name"] == "Emma" and out["ssn"].startswith("«ssn:")
