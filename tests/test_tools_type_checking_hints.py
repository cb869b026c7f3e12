"""A type imported under TYPE_CHECKING only: the tool's return type does not refuse it, an argument's does by name.

What must hold: `from __future__ import annotations` with a return type imported for the type checker
alone (common in typed code) leaves every argument's type read and the tool usable (the return type is
not what calls are validated by); an argument whose type cannot be resolved refuses the tool naming that
argument and why; a LangChain tool's injected call id is still told apart when its return type cannot be
resolved (its mark must not be lost with it, or the model would be asked to write the call's id).
"""

from __future__ import annotations

import pytest
from _type_checking_tools import PAID, pay, pay_fraction

from vfa import Agent, ConfigError
from vfa.testing import ScriptedModel


def test_a_return_type_for_the_type_checker_alone_leaves_the_tool_usable() -> None:
    PAID.clear()
    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 3}), ("pay", {"to": "bob", "amount": "x"}), "ok"]),
                  [pay])
    out = agent.compile().invoke({"messages": [("user", "pay bob")]})
    assert PAID == [("bob", 3)]
    refused = [m for m in out["messages"] if m.type == "tool"][1]
    assert "amount" in str(refused.content) and refused.status == "error"  # the argument's type still holds


def test_an_argument_type_that_cannot_be_read_refuses_the_tool_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"pay_fraction.*argument 'amount'.*Fraction.*TYPE_CHECKING"):
        Agent(ScriptedModel([]), [pay_fraction])
