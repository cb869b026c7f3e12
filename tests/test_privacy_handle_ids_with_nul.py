"""A call id holding a NUL makes two private values share one handle, and the first is then
shown to the model in clear.

`HandleStore.token` derives a handle from HMAC(secret, f"{thread}\\0{call}\\0{path}"). The call id is the
model's to choose (any text up to 256 characters that UTF-8 can write, NUL included), and a result path
holds the keys of the result (untrusted content chooses them, NUL included). Joined with NUL, the two are
not told apart: call "c0\\0.p" with path ".ssn" and call "c0" with the path ".p\\0.ssn" (a key "p\\0" above
the private field) hash the same text. The second value is minted under the first one's handle and replaces
it in the store: the handle the model holds for the user's SSN now stands for another value, and the SSN is
no longer a handle value of the thread, so a later result that shows it reaches the model in clear (docs/privacy.md
"What counts": a result that shows a value the model holds only as a handle is shown as one handle itself).

Must hold: every (thread, call, path) names a handle of its own, whatever NULs its parts hold; a value the
model holds as a handle is never shown in clear later.

Fixed: HandleStore.token writes ids holding a NUL as JSON after a single NUL (a text no NUL-free ids give), so
those keep their handles.
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

MINE, OTHER = "078-05-1120", "219-09-9999"


def _call(name: str, args: dict[str, Any], call_id: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])


def _run(first_id: str) -> tuple[list[str], PrivacyFlow]:
    shown: list[str] = []

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"ssn": MINE}

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def search(q: str) -> dict:
        """Records found for a query (their keys are the records' authors')."""
        return {"p\0": {"ssn": OTHER}}

    @privacy_sink()
    @privacy_source()
    def lookup() -> str:
        """A public directory lookup that happens to echo a number."""
        return f"records matching: {MINE}"

    def then(call: Any) -> Any:
        def step(tools: list[ToolMessage]) -> Any:
            shown.append(str(tools[-1].content))
            return call
        return step

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"t")
    model = ScriptedModel(rule=by_step([_call("get_profile", {}, first_id), then(_call("search", {"q": "x"}, "c0")),
                                        then(_call("lookup", {}, "c2")), then("done")]))
    app = Agent(model, [get_profile, search, lookup], guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    return shown, flow


def test_control_a_plain_call_id_keeps_each_value_its_own_handle() -> None:
    shown, _flow = _run("c9")
    assert MINE not in shown[2] and "«" in shown[2]


def test_a_call_id_with_a_nul_does_not_share_a_handle_with_another_calls_value() -> None:
    shown, flow = _run("c0\0.p")
    tokens = [re.findall(r"«[^»]+»", s)[0] for s in shown[:2]]
    values = [flow.store.get(t, "t").value for t in tokens]
    assert tokens[0] != tokens[1] and values == [MINE, OTHER], f"tokens {tokens} stand for {values}"
    assert MINE not in shown[2], f"the model read the handled SSN in clear: {shown[2]!r}"


def test_handle_text_is_one_to_one_with_thread_call_and_path() -> None:
    store = HandleStore(secret=b"t")
    parts = [("t", "c0\0.p", ".ssn"), ("t", "c0", ".p\0.ssn"), ("t\0c0", ".p", ".ssn"), ("t", "c0", ".ssn")]
    tokens = {store.token(*p, "ssn") for p in parts}
    assert len(tokens) == len(parts), "two (thread, call, path) give one handle"
    # ids without a NUL keep the handles they had: threads checkpointed under a fixed secret resume as they were
    assert store.token("t", "c0", ".ssn", "ssn") == "«ssn:eba4d4f3067153aa»"
