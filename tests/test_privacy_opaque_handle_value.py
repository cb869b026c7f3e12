"""The value behind a handle of a result field holding a date, a `Decimal` or a UUID is
vfa's own `Opaque` (the journal's stand-in for a value JSON cannot carry), not a value the tool can take.

`get_profile` returns the user's date of birth as a `datetime.date` and salary as a `Decimal` (as a
client library does), declared private: the model is shown handles. It passes them back to the user's
own reminder tool. docs/privacy.md: "A handle stands wherever its value fits: an argument the tool types as other
than text that holds a handle is validated on the value behind it ... and the effect ... get[s] the
validated value". The same call with the profile's values as text (`"1990-04-12"`) is committed with a
`date` and a `Decimal`. With the values as objects:

- a tool typing them `date` / `Decimal`, or `str`, is denied by "the values behind the handles in the
  arguments do not fit the tool's schema": `Opaque` is none of these;
- a tool typing them `Any` runs with `vfa._journal.Opaque` objects (no `.year`, no arithmetic).

What must hold: the value behind such a handle is the value's text (as it reads inside text, and as the
journal keeps it), so the call is committed and each argument is what its type makes of that text.

Fixed: a whole handle resolves through guards/_handles._given, which turns each Opaque (nested ones too) into
its text, all the journal keeps.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from _turns import by_step
from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

USER = "me@home.example"
POLICY = PrivacyPolicy.of(USER)
ID = uuid.UUID(int=0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0)


def _run(plain: bool, on_type: Any, amount_type: Any, id_type: Any) -> tuple[str, str, list[tuple[Any, ...]]]:
    got: list[tuple[Any, ...]] = []
    values = ({"dob": "1990-04-12", "salary": "84300.25", "id": str(ID)} if plain
              else {"dob": dt.date(1990, 4, 12), "salary": Decimal("84300.25"), "id": ID})

    @privacy_source(private=["dob", "salary", "id"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", **values}

    def remind(to: str, on, amount, ref) -> str:  # noqa: ANN001 - typed below
        """Remind someone of a date, an amount and a reference."""
        got.append((on, amount, ref))
        return "reminded"

    remind.__annotations__.update(on=on_type, amount=amount_type, ref=id_type)
    remind = privacy_sink(disclose={"on": "to", "amount": "to", "ref": "to"}, authority=["to"])(effect(remind))

    def call(tms: list[ToolMessage]) -> Any:
        import json
        shown = json.loads(tms[0].content)
        return ("remind", {"to": USER, "on": shown["dob"], "amount": shown["salary"], "ref": shown["id"]})

    flow = PrivacyFlow(POLICY, secret=b"opaque-handle")
    app = Agent(ScriptedModel(rule=by_step([("get_profile", {}), call])), [get_profile, remind],
                guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Remind me of my birthday and salary.")]},
                     {"configurable": {"thread_id": "t"}})
    last = [m for m in out["messages"] if isinstance(m, ToolMessage)][-1]
    assert "«dob:" in [m for m in out["messages"] if isinstance(m, ToolMessage)][0].content  # shown as handles
    return last.artifact["vfa"]["outcome"], str(last.content), got


@pytest.mark.parametrize("plain", [True, False], ids=["text", "objects"])
def test_typed_arguments_get_the_values_behind_the_handles(plain: bool) -> None:
    outcome, said, got = _run(plain, dt.date, Decimal, uuid.UUID)
    assert outcome == "committed", said
    assert got == [(dt.date(1990, 4, 12), Decimal("84300.25"), ID)]


@pytest.mark.parametrize("plain", [True, False], ids=["text", "objects"])
def test_text_arguments_get_the_values_text(plain: bool) -> None:
    outcome, said, got = _run(plain, str, str, str)
    assert outcome == "committed", said
    assert got == [("1990-04-12", "84300.25", str(ID))]


def test_an_untyped_argument_never_gets_vfas_stand_in() -> None:
    outcome, said, got = _run(False, Any, Any, Any)
    assert outcome == "committed", said
    assert got == [("1990-04-12", "84300.25", str(ID))], [type(v).__name__ for v in got[0]]
