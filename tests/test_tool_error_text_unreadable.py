"""A tool (or a validator of its schema) that raises an exception whose text cannot be read crashes the run.

docs/kernel.md ("What you get"): a tool's failure goes back to the model as an error, a guard that raises
denies (fail closed), and "a validator of the tool's own that raises, whatever it raises, denies the
call". The node builds the failure's text with `f"{type(exc).__name__}: {exc}"` inside its `except`
clause (`EffectJournal.commit`, `GuardNode._commit` for a read-only tool, `ToolSpec` validation), so an
exception whose `__str__` itself raises (an error class formatting an attribute that is missing, an
object whose repr fails) escapes as that second error ("RuntimeError: no text"): the run crashes,
nothing tells the model the call failed, and an effect that ran and failed is marked `abandoned`, a
crash, so resuming the thread asks a person whether a payment that plainly failed "may or may not have
happened". Red team 77 closed the same hole for guards (`_chain._message_of`); tools and validators
were left open.

Expected: the call fails (read-only and effect alike) with a placeholder naming the exception's type,
journaled `failed`; a validator's unreadable error denies the call.

Fixed: `vfa._exceptions.error_text` reads such an exception as a placeholder naming its type, wherever a
tool's or a validator's error is written; the call fails (or is denied) by what it raised.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool
from pydantic import BaseModel, field_validator

from vfa import ALLOW, Agent, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class _Unreadable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("this exception has no text")


@guard
def _allow(p, c):
    return ALLOW


def _run(tool, name: str, journal: EffectJournal) -> ToolMessage:
    app = Agent(ScriptedModel([(name, {"iban": "DE00"})]), [tool], guards=[_allow], journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("pay")]}, CFG)
    return next(m for m in out["messages"] if isinstance(m, ToolMessage))


def test_an_effect_raising_an_unreadable_exception_fails_and_is_journaled_failed() -> None:
    ran: list[str] = []

    @effect
    def pay(iban: str) -> str:
        """Pay an account."""
        ran.append(iban)
        raise _Unreadable()

    journal = EffectJournal()
    tm = _run(pay, "pay", journal)
    kinds = [e.kind for e in journal.entries("t")]
    assert ran == ["DE00"] and tm.artifact["vfa"]["outcome"] == "failed", tm.content
    assert "_Unreadable" in tm.content
    assert kinds[-1] == "failed" and "abandoned" not in kinds, kinds


def test_a_read_only_tool_raising_an_unreadable_exception_fails() -> None:
    def look(iban: str) -> str:
        """Look an account up."""
        raise _Unreadable()

    journal = EffectJournal()
    tm = _run(look, "look", journal)
    assert tm.artifact["vfa"]["outcome"] == "failed" and "_Unreadable" in tm.content, tm.content
    assert [e.kind for e in journal.entries("t")][-1] == "failed"


def test_a_validator_raising_an_unreadable_exception_denies() -> None:
    paid: list[str] = []

    class Args(BaseModel):
        iban: str

        @field_validator("iban")
        @classmethod
        def check(cls, v: str) -> str:
            raise _Unreadable()

    def pay(iban: str) -> str:
        """Pay an account."""
        paid.append(iban)
        return "paid"

    tm = _run(StructuredTool.from_function(pay, args_schema=Args), "pay", EffectJournal())
    assert paid == [] and tm.artifact["vfa"]["outcome"] == "denied", tm.content
