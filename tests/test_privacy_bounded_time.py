"""Hostile text is labelled in time linear in its length (red team 57a): the privacy check runs inline,
with no deadline, so a pattern that backtracks over a long run would hold the guard node for minutes.

Each case took 5 s to minutes before its pattern was anchored at the start of its run; each now takes
milliseconds. The bound is loose on purpose (a slow CI machine): the quadratic cases overshoot it
many times over."""

from __future__ import annotations

import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import BaseModel
from test_privacy_cut_within import W2, _send

from benchmarks.privacy.world import POLICY, World
from guards import Policy, PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

BOUND_S = 5.0


def _run(tools: list[Any], steps: list[tuple[str, dict[str, Any]]], flow: PrivacyFlow, **kw: Any) -> list[Any]:
    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return steps[turn] if turn < len(steps) else "done"

    app = Agent(ScriptedModel(rule=rule), tools, guards=[flow.guard()], flow=flow, **kw).compile()
    return app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})["messages"]


def test_a_long_digit_run_in_an_argument() -> None:
    # a number in exponent form is looked for from each run's first digit only (`_forms._EXPONENT`)
    t0 = time.perf_counter()
    _world, outcome = _send(W2, "notes", "10" + "1" * 40000)
    assert time.perf_counter() - t0 < BOUND_S
    assert outcome in ("committed", "denied")


def test_a_long_word_in_an_untrusted_result() -> None:
    # an address is looked for from each word's first character only (`_forms._EMAIL`): no model
    # needed, an attacker's mail is enough
    world = World("a" * 80000)
    t0 = time.perf_counter()
    messages = _run(world.tools(), [("read_inbox", {})], PrivacyFlow(POLICY, secret=b"bounded"))
    assert time.perf_counter() - t0 < BOUND_S
    assert any(isinstance(m, ToolMessage) and m.artifact["vfa"]["outcome"] == "ran" for m in messages)


class _Bank(BaseModel):
    balance: int
    payees: set[str]


_bank = Policy(_Bank)


@privacy_sink(disclose={"amount": "to"}, authority=["to", "amount"])
@privacy_source()
@effect
@_bank.requires("to in state.payees or amount <= 100")
def transfer(to: str, amount: int) -> str:
    """Transfer money."""
    return "sent"


def test_a_denial_quoting_a_long_argument() -> None:
    # the tokens of a guard's reason are withheld from each token's first character only (`_flow._TOKEN`)
    state = _Bank(balance=1000, payees={"alice"})
    t0 = time.perf_counter()
    messages = _run([transfer], [("transfer", {"to": "a" * 30000, "amount": 500})],
                    PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"bounded"), world=lambda: state)
    assert time.perf_counter() - t0 < BOUND_S
    denied = [m for m in messages if isinstance(m, ToolMessage)]
    assert denied[0].artifact["vfa"]["outcome"] == "denied" and "‹withheld›" in denied[0].content


@privacy_sink(disclose={"url": "*"})
@privacy_source(untrusted=True)
def fetch_json(url: str) -> dict:
    """A web API's JSON document, whose keys its author chose."""
    return {"status": "ok", "[1]" * 20000 + "x": "attacker's value"}


def test_a_long_key_in_a_result() -> None:
    # a key's trailing list indices are dropped from the right (`_walk._field_name`), not by a pattern
    # tried at each of its 20,000 "["
    t0 = time.perf_counter()
    messages = _run([fetch_json], [("fetch_json", {"url": "https://api.example/items"})],
                    PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"bounded"))
    assert time.perf_counter() - t0 < BOUND_S
    assert any(isinstance(m, ToolMessage) and m.artifact["vfa"]["outcome"] == "ran" for m in messages)
