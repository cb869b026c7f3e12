"""A result holding a key written "profile.ssn" beside a nested {"profile": {"ssn": ...}} mints one
handle for two different private values: the later overwrites the earlier.

`_walk._Walk` builds a leaf's handle path as f"{path}.{k}" (and f"{path}[{i}]" for list items), so the
top-level key "profile.ssn" and the nested field profile -> ssn both get the path ".profile.ssn", and
`HandleStore.mint` derives the token from (thread, call, path) alone: the same token is minted twice,
the second value replacing the first (`_by_token[token] = h`, `order[place] = h`). The model is shown
the same «ssn:…» in both places; the first value is gone from the store.

What follows: (1) wrong substitution: the handle the model reads where the user's own SSN stood stands
for the other value, so a mail the user asks for ("send Carol my SSN") carries another person's number;
(2) the first value is no longer a handle value of the thread (`_Results._values_of` reads the store), so
a later result that shows it is shown in clear instead of as one handle, and the model reads a value it
was only ever shown as a handle (docs/privacy.md "What counts": a result that shows a value the model holds only
as a handle is shown as one handle itself).

Expected: two different values get two different handles (or the walk refuses to merge them), and a
later result showing either value is hidden. Observed: one token, standing for the later value only; a
later echo of the first value reaches the model in clear.

Fixed: a result path writes a key holding a dot, a bracket or a quote (or no text) quoted in brackets
(`_walk._step`), so one path names one leaf and each value has its own handle.
"""

from __future__ import annotations

import re
from typing import Any

from _turns import by_step
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

USER, CAROL = "me@home.example", "carol@cpa.example"
MINE, OTHER = "078-05-1120", "219-09-9999"


def _call(name: str, args: dict[str, Any], call_id: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])


def _run(result: Any = None) -> tuple[list[str], list[str], Any]:
    shown: list[str] = []

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profiles() -> dict:
        """The user's profile, flattened, beside a dependant's nested one."""
        return result or {"profile.ssn": MINE, "profile": {"ssn": OTHER}}

    @privacy_sink()
    @privacy_source()
    def lookup(q: str) -> str:
        """A public directory lookup that happens to echo a number (undeclared output)."""
        return f"records matching: {MINE}"

    def seen(tools: list[ToolMessage]) -> AIMessage:
        shown.append(str(tools[-1].content))
        return _call("lookup", {"q": "ssn"}, "c1")

    def after(tools: list[ToolMessage]) -> str:
        shown.append(str(tools[-1].content))
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"t")
    app = Agent(ScriptedModel(rule=by_step([_call("get_profiles", {}, "c0"), seen, after])),
                [get_profiles, lookup], guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    return shown, re.findall(r"«[^»]+»", shown[0]), flow


def test_control_without_the_collision_the_echo_is_hidden() -> None:
    shown, _tokens, _flow = _run({"ssn": MINE, "dependant": {"ssn": OTHER}})
    assert MINE not in shown[1] and "«" in shown[1]


def test_two_values_get_two_handles() -> None:
    shown, tokens, flow = _run()
    values = {flow.store.get(t, "t").value for t in tokens}
    assert len(set(tokens)) == 2 and values == {MINE, OTHER}, (
        f"shown {shown[0]!r}: tokens {tokens} stand for {values} only")


def test_a_later_result_showing_the_first_value_is_hidden() -> None:
    shown, _tokens, _flow = _run()
    assert MINE not in shown[1], f"the model read the handled SSN in clear: {shown[1]!r}"
