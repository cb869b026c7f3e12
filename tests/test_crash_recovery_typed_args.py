"""Crash recovery of an effect whose arguments JSON cannot carry as they are (a `Decimal`, a date): the
journal keeps them as the model wrote them, and the recovered call runs with the same values again."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import BeforeValidator, Json

from vfa import EffectJournal, GuardNode, effect

CALL = {"name": "schedule", "args": {"amount": "1200.10", "on": "2026-07-01", "memo": "rent"}, "id": "c1"}


def _unhex(v: Any) -> Any:
    return bytes.fromhex(v).decode() if isinstance(v, str) else v


def _schedule(paid: list, die: list) -> object:
    @effect(idempotent=True)
    def schedule(amount: Decimal, on: datetime.date, memo: str) -> str:
        """Schedule a payment."""
        if die:
            die.pop()
            raise SystemExit("the process died during the effect")
        paid.append((amount, on, memo))
        return "scheduled"

    return schedule


def test_a_recovered_call_runs_with_the_values_it_was_first_given(tmp_path) -> None:
    path = str(tmp_path / "j.sqlite")
    paid: list = []
    with pytest.raises(SystemExit):
        GuardNode([_schedule(paid, ["die"])], journal=EffectJournal(path)).handle(CALL, {}, "t")
    journal = EffectJournal(path)
    started = [e for e in journal.entries("t") if e.kind == "started"]
    assert started and started[0].data["args"] == CALL["args"]  # as the model wrote them, not their reprs
    msg = GuardNode([_schedule(paid, [])], journal=journal).handle(CALL, {}, "t")
    assert msg.status == "success", msg.content
    assert paid == [(Decimal("1200.10"), datetime.date(2026, 7, 1), "rent")]
    assert [r.args for r in journal.committed("t")] == [CALL["args"]]


def test_journaled_arguments_that_no_longer_fit_the_tool_fail_the_recovered_call() -> None:
    journal = EffectJournal()
    bad = {"amount": "Decimal('1200.10')", "on": "2026-07-01", "memo": "rent"}  # a repr, as no JSON value
    journal.append([("t", "c1", "schedule", "proposed", {"args": bad}), ("t", "c1", "schedule", "started", {"args": bad})])
    paid: list = []
    msg = GuardNode([_schedule(paid, [])], journal=journal).handle(CALL, {}, "t")
    assert msg.status == "error" and "no longer fit 'schedule'" in msg.content and paid == []


def test_a_recovered_call_keeps_values_that_do_not_come_back_from_their_json(tmp_path) -> None:
    """A `Json` field holds the parsed value, whose JSON is no longer the string the field takes, and a
    decoding validator would decode its own output again: the recovered call runs with the call's own values."""
    ran: list = []
    die = ["die"]

    @effect(idempotent=True)
    def post(payload: Json[dict[str, int]], note: Annotated[str, BeforeValidator(_unhex)]) -> str:
        """Post a payload."""
        if die:
            die.pop()
            raise SystemExit("the process died during the effect")
        ran.append((payload, note))
        return "posted"

    call = {"name": "post", "args": {"payload": '{"a": 1}', "note": "3130"}, "id": "c1"}
    path = str(tmp_path / "j.sqlite")
    with pytest.raises(SystemExit):
        GuardNode([post], journal=EffectJournal(path)).handle(call, {}, "t")
    msg = GuardNode([post], journal=EffectJournal(path)).handle(call, {}, "t")
    assert msg.status == "success", msg.content
    assert ran == [({"a": 1}, "10")]
