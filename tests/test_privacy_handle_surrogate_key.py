"""A result whose keys above a private field hold a lone surrogate is not shown at all.

JSON may write a lone surrogate (`{"\\ud800": ...}`), and `json.loads` reads it as such: a web page's or a
mail's JSON can hold one. A private field under such a key gets a handle path holding it, and
`HandleStore.token` encodes thread, call and path as strict UTF-8, which raises `UnicodeEncodeError`: the
whole result is replaced by "the result could not be labelled (UnicodeEncodeError); it is not shown", a
message that names no key, though the same value one level up is handled, and the keyed digest of a private
name already encodes such text (`HandleStore.digest`).

Must hold: the result is shown with its private field behind a handle that resolves to its value, as it
is under any other key; distinct keys keep distinct handles.

Fixed: HandleStore.token encodes with surrogatepass, as the digest does.
"""

from __future__ import annotations

import re
from typing import Any

from _turns import by_step
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from guards._handles import HandleStore
from vfa import Agent
from vfa.testing import ScriptedModel

SSN = "078-05-1120"


def _shown(result: Any) -> tuple[str, PrivacyFlow]:
    shown: list[str] = []

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profiles() -> dict:
        """Profiles by a key their source chose."""
        return result

    def after(tools: list[ToolMessage]) -> str:
        shown.append(str(tools[-1].content))
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"t")
    call = AIMessage("", tool_calls=[{"name": "get_profiles", "args": {}, "id": "c0"}])
    app = Agent(ScriptedModel(rule=by_step([call, after])), [get_profiles], guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    return shown[0], flow


def test_control_a_plain_key_above_the_private_field() -> None:
    shown, _flow = _shown({"x": {"ssn": SSN}})
    assert SSN not in shown and "«ssn:" in shown


def test_a_lone_surrogate_key_above_a_private_field_still_shows_the_result_with_its_handle() -> None:
    shown, flow = _shown({"\ud800": {"ssn": SSN}, "note": "kept"})
    assert "could not be labelled" not in shown, shown
    tokens = re.findall(r"«[^»]+»", shown)
    assert SSN not in shown and "kept" in shown and len(tokens) == 1, shown
    assert flow.store.get(tokens[0], "t").value == SSN


def test_lone_surrogates_in_a_path_name_handles_of_their_own() -> None:
    store = HandleStore(secret=b"t")
    tokens = {store.token("t", "c0", f".{k}.ssn", "ssn") for k in ("\ud800", "\udfff", "\ud800\udfff", "?")}
    assert len(tokens) == 4
