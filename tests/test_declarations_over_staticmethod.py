"""A declaration written over `@staticmethod` or `@classmethod` is the method's, or refused: never dropped.

Since Python 3.10 a `staticmethod` (and a `classmethod`) object has a `__dict__` of its own, so
`@requires(...)`, `@privacy_sink(...)`, `@privacy_source(...)` or `vfa.annotate` written above one kept
the declaration on that wrapper object, while the class hands out the function inside it (`Bank.pay`):
the tool given to the agent carried no declaration, and a payment of 1000 under `0 < amount <= 100` ran.
What must hold: the tool the class hands out is judged by what was declared over it.

Fixed: declared_on, ToolSpec.of and Effect read the function a static or class method wrapper holds.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage

from guards import privacy_sink, privacy_source, requires
from guards._privacy_decl import sink_of, source_of
from vfa import Agent, Deny, ToolSpec, annotate, effect
from vfa.testing import FunctionGuard, ScriptedModel

paid: list[int] = []


class Bank:
    @requires("0 < amount <= 100")
    @staticmethod
    def pay(amount: int) -> str:
        """Pay an amount."""
        paid.append(amount)
        return "paid"


class Mail:
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @staticmethod
    def send(to: str, body: str) -> str:
        """Send a mail."""
        return "sent"

    @privacy_source(private=["ssn"], kind="profile")
    @staticmethod
    def profile() -> dict:
        """The user's profile."""
        return {"ssn": "078-05-1120"}

    @privacy_sink(disclose={"body": "to"})
    @classmethod
    def post(cls, to: str, body: str) -> str:
        """Post a note."""
        return "posted"


def _run(tools: list[Any], call: tuple[str, dict]) -> ToolMessage:
    app = Agent(ScriptedModel([call, "ok"]), tools).compile()
    out = app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage))


def test_a_precondition_over_a_staticmethod_is_judged() -> None:
    paid.clear()
    denied = _run([Bank.pay], ("pay", {"amount": 1000}))
    assert paid == [] and denied.artifact["vfa"]["outcome"] == "denied", denied.content
    assert _run([Bank.pay], ("pay", {"amount": 5})).content == "paid" and paid == [5]


def test_privacy_declarations_over_static_and_class_methods_are_read() -> None:
    assert sink_of(ToolSpec.of(Mail.send).meta) is not None, "the sink declared over @staticmethod was dropped"
    assert source_of(ToolSpec.of(Mail.profile).meta) is not None, "the source declared over @staticmethod was dropped"
    assert sink_of(ToolSpec.of(Mail.post).meta) is not None, "the sink declared over @classmethod was dropped"


def test_a_guard_annotated_over_a_staticmethod_judges_its_calls() -> None:
    no = FunctionGuard(lambda p, c: Deny(reason="never"), name="never")

    class Ops:
        @staticmethod
        def wipe() -> str:
            """Wipe the disk."""
            return "wiped"

    annotate(Ops.__dict__["wipe"], guards=[no])  # the staticmethod object the class keeps
    assert no in ToolSpec.of(Ops.wipe).guards, "a guard annotated on the staticmethod object judges nothing"


def test_an_effect_over_a_staticmethod_keeps_its_guards() -> None:
    no = FunctionGuard(lambda p, c: Deny(reason="never"), name="never")

    class Ops:
        @effect(guards=[no])
        @staticmethod
        def wipe() -> str:
            """Wipe the disk."""
            return "wiped"

    assert no in ToolSpec.of(Ops.wipe).guards
    out = _run([Ops.wipe], ("wipe", {}))
    assert out.artifact["vfa"]["outcome"] == "denied", out.content
