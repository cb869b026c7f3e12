"""A tool given wrapped in a runnable is refused naming the tool, whatever the wrapping: also two wrappers
(`.with_retry().with_config(...)`) and `.with_fallbacks(...)`, not only one `with_config`, `with_retry` or
`with_listeners`. Before, a nested binding was refused with its whole repr ("cannot use RunnableBinding(
bound=RunnableRetry(...") and a `RunnableWithFallbacks`, which forwards attributes to its runnable, with
"a tool's name must be non-empty text, not NoneType None", the message the fix of the single wrappers removed.

Fixed: vfa._tools._wrapped_tool follows a wrapper's bound/runnable fields (up to 8 levels), stopping at
anything with its own args_schema.
"""

from __future__ import annotations

import pytest
from langchain_core.tools import tool

from vfa import ConfigError, ToolSpec


@tool
def pay(amount: int) -> str:
    """Pay an amount."""
    return "paid"


@pytest.mark.parametrize("wrap", [lambda t: t.with_retry().with_config(tags=["x"]),
                                  lambda t: t.with_fallbacks([t]),
                                  lambda t: t.with_config(tags=["x"]).with_fallbacks([t])],
                         ids=["retry_then_config", "with_fallbacks", "config_then_fallbacks"])
def test_a_tool_wrapped_otherwise_is_refused_by_name(wrap):
    with pytest.raises(ConfigError, match=r"tool 'pay' is given wrapped .*give the tool itself"):
        ToolSpec.of(wrap(pay))
