"""Red team 61: a tool result JSON cannot write is journaled and answered, never a crash.

A result dict keyed by dates (a balance history, as `pandas.Series.to_dict()` gives one) is recorded with
those keys as their reprs, its records kept as records (the IBAN still shown as a handle); one holding an
object whose `__repr__` raises is recorded with a placeholder naming the type. Before, both raised out of
the guard node, and for an effect the "committed" entry was never written although the effect ran."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER = "me@home.example"


class Hostile:
    def __repr__(self) -> str:
        raise ValueError("no repr")


RESULTS = {
    "date-keyed": {"iban": "DE44500105175407324931", "balances": {dt.date(2026, 1, 1): 10.5, dt.date(2026, 1, 2): 12.0}},
    "hostile-repr": {"iban": "DE44500105175407324931", "note": Hostile()},
}


def _invoke(tool: Any) -> list[ToolMessage]:
    def rule(messages: list[Any]) -> Any:
        if not any(isinstance(m, ToolMessage) for m in messages):
            return AIMessage("", tool_calls=[{"name": "get_account", "args": {}, "id": "c1"}])
        return "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER), journal=journal)
    app = Agent(ScriptedModel(rule=rule), [tool], guards=[flow.guard()], flow=flow, journal=journal).compile()
    try:
        out = app.invoke({"messages": [HumanMessage("hi")]}, {"configurable": {"thread_id": "t"}})
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"the graph crashed: {type(exc).__name__}: {exc}") from None
    return [m for m in out["messages"] if isinstance(m, ToolMessage)]


@pytest.mark.parametrize("kind", sorted(RESULTS))
def test_a_read_only_tool_whose_result_cannot_be_journaled_is_answered(kind: str) -> None:
    @privacy_sink()
    @privacy_source(private=["iban"], kind="bank")
    def get_account() -> dict:
        """The account."""
        return RESULTS[kind]

    (msg,) = _invoke(get_account)
    assert "DE44500105175407324931" not in str(msg.content)


@pytest.mark.parametrize("kind", sorted(RESULTS))
def test_an_effect_whose_result_cannot_be_journaled_is_answered(kind: str) -> None:
    @privacy_sink()
    @privacy_source(private=["iban"], kind="bank")
    @effect()
    def get_account() -> dict:
        """The account (an effect: it logs the access)."""
        return RESULTS[kind]

    (msg,) = _invoke(get_account)
    assert "DE44500105175407324931" not in str(msg.content)
