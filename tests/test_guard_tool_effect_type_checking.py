"""`graphs.guard_tool` of an `@effect` whose return type is imported under TYPE_CHECKING only.

What must hold: the `Agent` takes such an effect (`vfa._tools.type_hints`); `guard_tool`, which takes an
`@effect` since this session, cannot (LangChain's schema inference and LangGraph's ToolNode read every
annotation, the return type too), so it refuses it with a `ConfigError` naming the effect, the type and what
to do; an argument type that cannot be read is refused naming the argument, as the `Agent` names it.

Before: `guard_tool(pay)` raised a bare `NameError: name 'Decimal' is not defined` from LangChain's schema
inference (`StructuredTool.from_function` reads every annotation, the return type included), naming neither
the tool nor what to do, for an effect the `Agent` runs.
"""

from __future__ import annotations

import pytest
from _type_checking_tools import PAID, pay, pay_fraction

from graphs import ToolGate, guard_tool
from vfa import ALLOW, ConfigError, guard


@guard
def allow(p, c):
    return ALLOW


def test_guard_tool_names_an_effect_whose_return_type_is_for_the_type_checker() -> None:
    PAID.clear()
    with pytest.raises(ConfigError, match=r"effect 'pay'.*Decimal.*TYPE_CHECKING.*import it at run time"):
        guard_tool(pay, gate=ToolGate([allow]))
    assert PAID == []


def test_guard_tool_names_an_argument_type_it_cannot_read() -> None:
    with pytest.raises(ConfigError, match=r"pay_fraction.*argument 'amount'"):
        guard_tool(pay_fraction, gate=ToolGate([allow]))
