"""A tool whose signature the arguments' model cannot hold is refused where it is declared, not at every commit.

`_model_from_signature` (vfa/_tools.py) refuses `*args`/`**kwargs` but builds the arguments' model from any
other signature, and the guard node calls the tool as `fn(**args)`:

- a positional-only argument (`def pay(to, /, amount)`) is in the schema, so the model writes it, the guards
  allow it, and the call fails inside the commit with `TypeError: ... positional-only arguments passed as
  keyword arguments` (after an effect's write-ahead record);
- a required argument pydantic cannot take for a field (`_to`, leading underscore; `model_config`) is dropped
  from the schema without a word: the model is shown a tool taking no such argument, a call naming it is refused
  as an extra input, and one leaving it out fails inside the commit ("missing 1 required positional argument");
- an argument named as a pydantic model member (`model_dump`) fails the declaration with pydantic's own
  `ValueError` about a "protected namespace", naming neither the tool nor vfa's error.

Must hold: such a tool is refused where it is declared, with a `ConfigError` naming the tool and the argument,
as `*args` is; an underscored or oddly named argument with a default (kept out of the model's reach) is fine.

Fixed: _model_from_signature refuses a positional-only argument, a required argument no schema field can hold
(a leading underscore, model_config) and a name pydantic keeps for its members, each with a ConfigError naming
the tool and the argument.
"""

from __future__ import annotations

import pytest

from vfa import Agent, ConfigError, effect
from vfa.testing import ScriptedModel


def _agent(tool: object) -> Agent:
    return Agent(ScriptedModel(["ok"]), [tool])


def test_a_positional_only_argument_is_refused_where_declared() -> None:
    @effect
    def pay(to: str, /, amount: int) -> str:
        """Pay."""
        return f"paid {amount} to {to}"

    with pytest.raises(ConfigError, match=r"'pay'.*'to'"):
        _agent(pay)


@pytest.mark.parametrize("name", ["_to", "model_config", "model_dump"])
def test_a_required_argument_no_field_can_hold_is_refused_where_declared(name: str) -> None:
    ns: dict = {"effect": effect}
    exec(f"@effect\ndef pay({name}: str, amount: int) -> str:\n    'Pay.'\n    return 'paid'", ns)
    with pytest.raises(ConfigError, match=rf"'pay'.*'{name}'"):
        _agent(ns["pay"])


def test_an_underscored_argument_with_a_default_is_kept_from_the_model() -> None:
    @effect
    def pay(to: str, amount: int, _limit: int = 100) -> str:
        """Pay."""
        return f"paid {min(amount, _limit)} to {to}"

    _agent(pay)  # no error: the model cannot write `_limit`, the function keeps its default
