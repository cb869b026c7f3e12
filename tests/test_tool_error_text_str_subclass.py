"""An exception whose text is a `str` subclass that cannot be formatted crashes the run.

`vfa._exceptions.message_of` was made `vfa._exceptions.message_of` the one reader of an exception's text: "a placeholder
naming its type when its `__str__` itself raises (the call still fails, or is denied, by what it
raised)". It guards `str(exc)` alone, and returns what `__str__` gave, which may be an instance of a
`str` subclass (`str()` hands a subclass back as it is). Every caller then formats it into an f-string
(`error_text`: `f"{type(exc).__name__}: {message_of(exc)}"`; the guard chain's `f"guard ... raised
...: {message}"`), which calls the subclass's own `__format__`, outside any guard. So a tool raising
`_Odd()` (whose `__str__` returns a `_Text("odd")` whose `__format__` raises) crashes the run with
"RuntimeError: no format": the effect's start is left `abandoned` (resuming asks a person whether a
payment that plainly failed "may or may not have happened"), and a guard raising it crashes the run
instead of denying the call (README: a guard that raises denies, fail closed).

Expected: as for an exception whose `__str__` raises (tests/test_tool_error_text_unreadable.py): the
call fails, journaled `failed`, and a guard raising it denies.

Fixed: `message_of` returns a plain `str` (`str.__str__` of what `__str__` gave), inside its guard.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import ALLOW, Agent, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class _Text(str):
    def __format__(self, spec: str) -> str:
        raise RuntimeError("no format")


class _Odd(Exception):
    def __str__(self) -> str:
        return _Text("odd")


@guard
def _allow(p, c):
    return ALLOW


@guard
def _raises(p, c):
    raise _Odd()


def _run(tool, name: str, journal: EffectJournal, guards=(_allow,)) -> ToolMessage:
    app = Agent(ScriptedModel([(name, {"iban": "DE00"})]), [tool], guards=list(guards), journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("pay")]}, CFG)
    return next(m for m in out["messages"] if isinstance(m, ToolMessage))


def test_an_effect_raising_it_fails_and_is_journaled_failed() -> None:
    ran: list[str] = []

    @effect
    def pay(iban: str) -> str:
        """Pay an account."""
        ran.append(iban)
        raise _Odd()

    journal = EffectJournal()
    tm = _run(pay, "pay", journal)
    kinds = [e.kind for e in journal.entries("t")]
    assert ran == ["DE00"] and tm.artifact["vfa"]["outcome"] == "failed", tm.content
    assert kinds[-1] == "failed" and "abandoned" not in kinds, kinds


def test_a_read_only_tool_raising_it_fails() -> None:
    def look(iban: str) -> str:
        """Look an account up."""
        raise _Odd()

    tm = _run(look, "look", EffectJournal())
    assert tm.artifact["vfa"]["outcome"] == "failed" and "odd" in tm.content, tm.content


def test_a_guard_raising_it_denies() -> None:
    paid: list[str] = []

    @effect
    def pay(iban: str) -> str:
        """Pay an account."""
        paid.append(iban)
        return "paid"

    tm = _run(pay, "pay", EffectJournal(), guards=(_raises,))
    assert paid == [] and tm.artifact["vfa"]["outcome"] == "denied", tm.content
