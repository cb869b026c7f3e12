"""Red team 133: `compute` fails on a private integer past the float range, and compares a long numeral as text.

docs/privacy.md ("Working on a handle"): compute's operations "are closed and total: ... none fails on what the
value holds (but one whose value or result is over 64 KiB: one bit)", and comparisons are made "as
numbers when both sides read as numbers". `guards/_compute.py::_number` turns every number into a
`float`, so:

1. a private int of 400 digits (a record's id, a big balance in cents, a crypto amount in wei) compared
   with anything raises `OverflowError: int too large to convert to float`. Through the flow the model
   sees "compute failed: «compute:…»": whether the call failed tells it that the value is past 1.8e308,
   a bit about the value docs/privacy.md says no operation gives away; and the task cannot be done.
2. a numeral written as text past the float range ("1" and 400 zeros) reads as inf, is no finite
   number, and is compared as text: "1000…0" > "5" is False.

Fixed: compare exactly (`Decimal`), which is total on every finite number an int or a numeral writes.
"""

from __future__ import annotations

import re

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, compute
from guards._privacy_decl import PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

BIG = 10**400 + 12345
USER = "me@home.example"


def test_a_huge_int_compares_as_a_number():
    assert compute(BIG, "gt", operand=5) is True
    assert compute(5, "lt", operand=BIG) is True
    assert compute(BIG, "eq", operand=BIG) is True
    assert compute(BIG, "gt", operand=BIG - 1) is True  # exact: a float would make these equal
    assert compute("1" + "0" * 400, "gt", operand="5") is True  # both read as numbers
    assert compute(float("inf"), "gt", operand=5) is (str(float("inf")) > "5")  # not finite: still as texts


def test_a_comparison_of_a_handled_huge_int_does_not_fail_through_the_flow():
    @privacy_sink()
    @privacy_source(private=["balance"], handle=True, kind="wallet")
    def get_wallet() -> dict:
        """The user's wallet."""
        return {"owner": "Emma", "balance": BIG}

    def rule(messages):
        shown = [str(m.content) for m in messages if isinstance(m, ToolMessage)]
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_wallet", {})
        if turn == 1:
            return ("compute", {"value": re.search(r"«[^»]+»", shown[-1]).group(0), "op": "gt", "operand": 1000})
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt133")
    app = Agent(ScriptedModel(rule=rule), [get_wallet, compute], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("is my balance above 1000?")]}, {"configurable": {"thread_id": "t"}})
    answer = str(out["messages"][4].content)
    assert "failed" not in answer, answer  # a failure would tell the model the value is past the float range
    assert re.fullmatch(r"«[^»]+»", answer)
