"""`@effect`'s options of the wrong kind, and an effect made of an effect, are refused when given.

- `effect(fn, idempotent="no")` (or any text, or 0/1 typed by hand) was stored as given, and the guard node reads
  it by truth: "no" is true, so a commit cut off by a crash is run again on resume without asking a person
  (docs/kernel.md "Exactly-once effects": re-run "only if declared `@effect(idempotent=True)`, otherwise a person is
  asked"). The same slip in `configure_tracing(otlp="no")` is refused already; `graphs.as_effect` passes it on.
- `effect(effect(pay))` (an effect wrapped again, e.g. to set an option on one made elsewhere) built and compiled,
  and then every call failed at run time: the inner effect refuses to run "inside the commit of 'pay'".

What must hold: both are refused where they are written (`TypeError` or `VfaError`), naming `idempotent` or
saying the function is an effect already; `idempotent=True`/`False` still build.

Fixed: Effect refuses an idempotent that is not a bool and a function that is already an effect.
"""

from __future__ import annotations

import pytest
from langchain_core.tools import tool

import graphs
from vfa import VfaError, effect


def pay(to: str) -> str:
    """Pay."""
    return "paid"


@tool
def send(to: str) -> str:
    """Send."""
    return "sent"


@pytest.mark.parametrize("value", ["no", "yes", 1, None], ids=["'no'", "'yes'", "1", "None"])
def test_idempotent_must_be_true_or_false(value):
    with pytest.raises((TypeError, VfaError), match="idempotent"):
        effect(pay, idempotent=value)
    with pytest.raises((TypeError, VfaError), match="idempotent"):
        effect(idempotent=value)(pay)
    with pytest.raises((TypeError, VfaError), match="idempotent"):
        graphs.as_effect(send, idempotent=value)


def test_an_effect_made_of_an_effect_is_refused():
    once = effect(pay)
    with pytest.raises((TypeError, VfaError), match="already an effect"):
        effect(once)
    with pytest.raises((TypeError, VfaError), match="already an effect"):
        effect(idempotent=True)(once)


def test_the_documented_forms_still_build():
    assert effect(pay).idempotent is False
    assert effect(pay, idempotent=True).idempotent is True
    assert effect(idempotent=False)(pay).idempotent is False
    graphs.as_effect(send, idempotent=True)
