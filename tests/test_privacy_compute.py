"""`compute`: pure operations on values the model holds only as handles. The result comes back as a
handle with the value's readers, so a task can cut, reformat or compare a private value without the
model reading it, and no operation opens a way around the flow check."""

from __future__ import annotations

import re

import pytest
from _mail import message_send
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, compute
from guards._privacy_decl import PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

USER, CAROL, EVE = "me@home.example", "carol@cpa.example", "eve@else.example"
SSN, BALANCE = "078-05-1120", 4210.75
HANDLE = re.compile(r"«[^»]+»")


def test_operations():
    assert compute("078-05-1120", "slice", start=-4) == "1120"
    assert compute("078-05-1120", "slice", start=0, end=3) == "078"
    assert compute("+1 555 0142", "digits") == "15550142"
    assert compute("+1 555 0142", "replace", operand=" ", new="") == "+15550142"
    assert compute(" Ab ", "strip") == "Ab" and compute("Ab", "lower") == "ab" and compute("Ab", "upper") == "AB"
    assert compute("abcd", "length") == 4 and compute(4210.75, "length") == 7
    assert compute("Rent April", "contains", operand="April") is True
    assert compute(4210.75, "gt", operand=4000) is True and compute("4,210.75", "lt", operand="4000") is False
    assert compute("9", "gt", operand="10") is False  # both read as numbers: compared as numbers
    assert compute("b", "gt", operand="a") is True  # not numbers: compared as texts
    assert compute(True, "eq", operand="True") is True  # a bool is no number: compared as text
    assert compute("nan", "eq", operand="nan") is True  # not finite: compared as text


@pytest.mark.parametrize(("kwargs", "names"), [
    ({"op": "reverse"}, "unknown op 'reverse'"),
    ({"op": "replace", "operand": ""}, "'replace' needs a non-empty text"),
    ({"op": "gt"}, "'gt' needs an `operand`"),
    ({"op": "contains"}, "'contains' needs an `operand`"),
    ({"op": "replace", "operand": "a", "new": "b" * 70_000}, "longer than 65536"),
])
def test_bad_calls_name_the_problem(kwargs, names):
    with pytest.raises(ValueError, match=re.escape(names)):
        compute("abc", **kwargs)


def _run(steps, *, mode: str = "untrusted", handled: bool = True):
    """The model reads the profile (SSN and balance handled, or in clear), then takes `steps`: each a
    function of the last tool message's text returning a tool call. Returns (sent, messages)."""
    sent: list[dict] = []

    @privacy_sink()
    @privacy_source(private=["ssn", "balance"], handle=handled, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN, "balance": BALANCE}

    send = message_send(sent)

    script = [lambda last: ("get_profile", {}), *steps]

    def rule(messages):
        done = sum(1 for m in messages if isinstance(m, AIMessage))
        if done >= len(script):
            return "done"
        return script[done](str([m for m in messages if isinstance(m, ToolMessage)][-1].content) if done else "")

    policy = PrivacyPolicy.of(USER, grants={CAROL: ["profile.ssn"]}, context_taint=mode)
    flow = PrivacyFlow(policy, secret=b"t")
    app = Agent(ScriptedModel(rule=rule), [get_profile, compute, send], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    return sent, out["messages"]


def _field(text: str, name: str) -> str:
    return re.search(rf'"{name}": ("«[^»]+»"|[^,}}]+)', text).group(1).strip('"')


def _model_saw(messages) -> str:
    return " ".join(str(m.content) for m in messages if isinstance(m, (ToolMessage, AIMessage)))


@pytest.mark.parametrize("mode", ["untrusted", "private"])
def test_last_four_of_a_handled_ssn_reach_a_grantee_and_never_the_model(mode):
    sent, messages = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "slice", "start": -4}),
                           lambda last: ("send", {"to": [CAROL], "body": f"Last four: {last}"})], mode=mode)
    assert sent == [{"to": [CAROL], "body": "Last four: 1120"}]
    assert HANDLE.fullmatch(str(messages[4].content))  # compute's result, as the model is shown it
    assert "1120" not in _model_saw(messages)


@pytest.mark.parametrize("mode", ["untrusted", "private"])
def test_a_cut_of_the_ssn_stays_private_to_its_readers(mode):
    sent, messages = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "slice", "start": -4}),
                           lambda last: ("send", {"to": [EVE], "body": f"Last four: {last}"})], mode=mode)
    assert sent == []
    assert "denied" in str(messages[-2].content) and "1120" not in _model_saw(messages)


def test_a_comparison_is_a_handle_too_one_bit_goes_only_where_the_balance_may():
    test = lambda last: ("compute", {"value": _field(last, "balance"), "op": "gt", "operand": 4000})  # noqa: E731
    sent, messages = _run([test, lambda last: ("send", {"to": [USER], "body": f"above 4000: {last}"})])
    assert sent == [{"to": [USER], "body": "above 4000: True"}]
    assert "True" not in _model_saw(messages).replace("above 4000: «", "")
    sent, messages = _run([test, lambda last: ("send", {"to": [EVE], "body": f"above 4000: {last}"})])
    assert sent == [] and "denied" in str(messages[-2].content)


def test_chained_operations_keep_the_label():
    sent, _ = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "digits"}),
                    lambda last: ("compute", {"value": last, "op": "slice", "start": 0, "end": 3}),
                    lambda last: ("send", {"to": [EVE], "body": last})])
    assert sent == []
    sent, _ = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "digits"}),
                    lambda last: ("compute", {"value": last, "op": "slice", "start": 0, "end": 3}),
                    lambda last: ("send", {"to": [CAROL], "body": last})])
    assert sent == [{"to": [CAROL], "body": "078"}]


def test_a_value_read_in_clear_and_cut_is_still_tracked():
    """Without handles the model reads the SSN; a cut computed from it carries its label."""
    sent, messages = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "slice", "start": -4}),
                           lambda last: ("send", {"to": [EVE], "body": f"Last four: {last}"})], handled=False)
    assert sent == [] and "denied" in str(messages[-2].content)


def test_an_unknown_op_is_refused_by_the_schema_before_the_tool_runs():
    _, messages = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "reverse"})])
    assert "invalid arguments for 'compute': op: Input should be 'slice'" in str(messages[4].content)


def test_a_value_read_in_clear_and_computed_on_is_private_to_its_readers():
    """A pure tool's result is computed from its arguments alone, so it carries their readers."""
    sent, messages = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "digits"}),
                           lambda last: ("send", {"to": [EVE], "body": f"id {last}"})], handled=False)
    assert sent == [] and "denied" in str(messages[-2].content)
    sent, _ = _run([lambda last: ("compute", {"value": _field(last, "ssn"), "op": "digits"}),
                    lambda last: ("send", {"to": [CAROL], "body": f"id {last}"})], handled=False)
    assert sent == [{"to": [CAROL], "body": "id 078051120"}]
