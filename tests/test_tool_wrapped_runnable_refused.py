"""A tool given wrapped in a runnable (`with_config`, `with_retry`, `with_listeners`) is refused naming the tool
and what to give instead: the guard node runs the tool itself, so the wrapper's settings would not apply (the
message was "a tool's name must be non-empty text, not NoneType None", or the wrapper's whole repr)."""

from __future__ import annotations

import pytest
from langchain_core.tools import tool

from vfa import ConfigError, ToolSpec


@tool
def pay(amount: int) -> str:
    """Pay an amount."""
    return "paid"


@pytest.mark.parametrize("wrap", [lambda t: t.with_config(tags=["x"]), lambda t: t.with_retry(),
                                  lambda t: t.with_listeners(on_start=lambda run: None)],
                         ids=["with_config", "with_retry", "with_listeners"])
def test_a_wrapped_tool_is_refused_by_name(wrap):
    with pytest.raises(ConfigError, match=r"tool 'pay' is given wrapped .*give the tool itself"):
        ToolSpec.of(wrap(pay))
    assert ToolSpec.of(pay).name == "pay"
