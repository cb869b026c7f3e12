"""A `validate_call` function's own config is not what the guards judge by.

vfa gives a `validate_call` function its call as written, so that it validates once and "the
guards judge what the tool runs with". But vfa validates the call by the function's signature alone
(`vfa._tools._model_from_signature`), never by the `validate_call(config=...)` the function validates with.
With `ConfigDict(str_to_lower=True, str_strip_whitespace=True)`, the precondition `to != 'mallory'` judges
" Mallory " (allowed), and the function, validating the same text itself, pays "mallory".
(Also true before the commit: then the function re-validated vfa's values, with the same outcome.)

What must hold: the guards judge the value the function runs with (the call is denied and nothing is paid),
or a tool whose validation vfa cannot reproduce is refused when the agent is built (fail closed). A stated
limit (README): pydantic keeps the function's config where vfa cannot read it.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from pydantic import ConfigDict, validate_call

from guards import requires
from vfa import Agent, ConfigError, EffectJournal, effect
from vfa.testing import ScriptedModel


@pytest.mark.xfail(strict=True, reason="stated limit: a validate_call function's own config is not read")
def test_the_precondition_judges_the_recipient_validate_call_makes() -> None:
    paid: list[str] = []

    @requires("to != 'mallory'")
    @effect
    @validate_call(config=ConfigDict(str_to_lower=True, str_strip_whitespace=True))
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append(to)
        return f"paid {to}"

    try:
        app = Agent(ScriptedModel([("pay", {"to": " Mallory ", "amount": 5}), "done"]), [pay],
                    journal=EffectJournal()).compile()
    except ConfigError:
        return  # refused up front: fail closed
    out = app.invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert paid == [], f"the guard allowed ' Mallory '; the tool paid {paid} ({message.content!r})"
