"""A call holding a handle is validated on its values once more (for its guards, and at commit); its
arguments already decoded by the schema are not decoded a second time.

Fixed: the guard node validated the resolved arguments again with the call's other arguments as already
validated, both where a handle stands for a typed value (`Proposal.by_value`) and in the check that the
values behind a call's handles fit its schema: an argument whose type decodes what was written (a `Json`
field: text to a dict) failed the second time, so the call was refused though it fit. Now both read the
other arguments as written.
"""

from __future__ import annotations

import re
from typing import Any

from _turns import by_step
from langchain_core.messages import HumanMessage, ToolMessage
from pydantic import BaseModel, Json

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"


class Bank(BaseModel):
    balance: int = 500


def _tools(paid: list[Any]) -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["amount", "payee"], kind="invoice")
    def get_invoice() -> dict:
        """The open invoice (its amount as the billing system writes it: text)."""
        return {"payee": "Landlord Ltd", "amount": "120"}

    @privacy_sink(internal=["amount", "memo"], authority=["amount"])
    @privacy_source()
    @effect
    @requires("amount <= state.balance", state=Bank)
    def transfer(amount: int, memo: Json[dict[str, int]]) -> str:
        """Pay out of the user's account, with a structured memo (JSON text)."""
        paid.append((amount, memo))
        return "ok"

    @privacy_sink(internal=["payee", "memo"])
    @privacy_source()
    @effect
    def file_note(payee: str, memo: Json[dict[str, int]]) -> str:
        """File a note on a payee (the memo as JSON text)."""
        paid.append((payee, memo))
        return "filed"

    return [get_invoice, transfer, file_note]


def _rule(tool: str, field: str):
    def call_with_handle(tms: list[ToolMessage]) -> Any:
        handle = re.search(rf'"{field}": "(«[^»]+»)"', tms[-1].content).group(1)
        return (tool, {field: handle, "memo": '{"ref": 7}'})
    return by_step([("get_invoice", {}), call_with_handle])


def _run(tool: str, field: str, paid: list[Any]) -> list[ToolMessage]:
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"decoded-once")
    app = Agent(ScriptedModel(rule=_rule(tool, field)), _tools(paid), guards=[flow.guard()], flow=flow,
                world=lambda: Bank(), journal=EffectJournal()).compile()
    out = app.invoke({"messages": [HumanMessage("pay the open invoice")]}, {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage) and m.name == tool]


def test_a_decoded_argument_beside_an_amounts_handle_is_decoded_once():
    paid: list[Any] = []
    results = _run("transfer", "amount", paid)
    assert paid == [(120, {"ref": 7})], [m.content for m in results]
    assert results and results[0].status != "error", results[0].content


def test_a_decoded_argument_beside_a_handle_in_text_is_decoded_once():
    # no argument is validated on its value here: the check that the values fit reads the call as written
    paid: list[Any] = []
    results = _run("file_note", "payee", paid)
    assert paid == [("Landlord Ltd", {"ref": 7})], [m.content for m in results]
