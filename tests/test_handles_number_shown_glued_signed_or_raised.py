"""A handled amount that comes back in a result glued to a unit, a key or a currency code, with
a minus sign, or in exponent form, is shown to the model in clear.

The docs/privacy.md ("Bounded work"): a result is searched for the thread's handle values, "a number of three
characters or more among the result's numbers as written there, so a salary 84300 read back "84,300" or
"84300.00", or grouped as other locales group it". The model holds the user's salary, 84300, only as a
handle; a sheet cell (a tool declared public) shows it as a sheet or a log writes numbers. Hidden today:
"84,300", "$84,300", "84,300 USD", "84.300,00". Shown in clear: "84,300/yr", "salary=84,300",
"salary:84,300", "US$84,300.00", "84,300USD" (the number glued to other characters: `_token_numbers`
reads whitespace tokens stripped of a few marks only), "-84,300" (a ledger's debit: the sign makes it
another number, though "-84300" ungrouped is hidden by its text) and "8.43E+04" (a spreadsheet's
scientific format; `_token_numbers` reads no exponent). A five-digit value is found by no other reading
(normal forms and digit runs start at six), so the model reads the salary and may write it anywhere.

Expected: each read-back is shown as one handle, as "84,300" is. Control: a result with other numbers is
shown as it is.

Fixed: a result's numbers are also read with what is none of a number's marks (units, keys, currency,
signs) as spaces, and in exponent form; a handle's number is matched without its sign.
"""

from __future__ import annotations

from typing import Any

import pytest
from _turns import by_step
from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

USER = "me@home.example"


def _read_back(salary: Any, shown_as: str) -> str:
    @privacy_sink()
    @privacy_source(private=["salary"], kind="payroll")
    def get_salary() -> dict:
        """The user's yearly salary."""
        return {"salary": salary}

    @privacy_sink()
    @privacy_source()
    def read_cell(cell: str) -> dict:
        """Read a cell of the user's sheet (which the model filled from the handle earlier)."""
        return {"cell": cell, "text": shown_as}

    steps = [("get_salary", {}), ("read_cell", {"cell": "A1"})]
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt153")
    app = Agent(ScriptedModel(rule=by_step(steps)), [get_salary, read_cell], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Show me A1.")]}, {"configurable": {"thread_id": "t"}})
    return [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage)][1]


@pytest.mark.parametrize("shown_as", ["84,300", "84,300/yr", "salary=84,300", "salary:84,300", "US$84,300.00",
                                      "84,300USD", "-84,300", "(-84,300.00)", "8.43E+04", "8.43e4", "84.3e3"])
def test_a_handled_salary_read_back_as_written_is_hidden(shown_as: str) -> None:
    shown = _read_back(84300, shown_as)
    assert shown_as not in shown, f"the model read the handled salary in clear: {shown!r}"


@pytest.mark.parametrize("shown_as", ["84,300", "debit=84,300"])
def test_a_handled_debit_read_back_without_its_sign_is_hidden(shown_as: str) -> None:
    shown = _read_back(-84300, shown_as)
    assert shown_as not in shown, f"the model read the handled amount in clear: {shown!r}"


@pytest.mark.parametrize("shown_as", ["84,301/yr", "salary=94,300", "8.44E+04", "2026-05-04 19:00"])
def test_other_numbers_are_shown(shown_as: str) -> None:  # the control: no false hiding
    assert shown_as in _read_back(84300, shown_as)
