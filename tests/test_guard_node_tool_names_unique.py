"""A `GuardNode` given two tools of one name refuses them, naming the name, as `Agent` does.

`GuardNode` is public ("use it wherever a `ToolNode` would go"; `UnmediatedEffectError` tells users to
give the tool "to an Agent or GuardNode"), but it kept the last tool of each name and dropped the
others without a word: an `@effect` with its `@requires` precondition, listed before a read-only
function of the same name, vanished, and every call of that name ran the other tool. `Agent` refused
the pair only by counting, with a message that did not say which name was shared. A developer's
mistake is a `ConfigError` that names it, before anything runs.

Fixed: GuardNode raises ConfigError naming the shared name; Agent's refusal comes from it.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from guards import requires
from vfa import Agent, ConfigError, GuardNode, effect
from vfa.testing import ScriptedModel


class Account(BaseModel):
    balance: int


@effect
@requires("amount <= state.balance", state=Account)
def transfer(to: str, amount: int) -> str:
    """Send money."""
    return f"sent {amount} to {to}"


def _preview(to: str, amount: int) -> str:
    """Preview a transfer (changes nothing)."""
    return "preview"


_preview.__name__ = "transfer"


def test_guard_node_refuses_two_tools_of_one_name():
    with pytest.raises(ConfigError, match="'transfer'"):
        GuardNode([transfer, _preview], world=Account(balance=10))


def test_agent_names_the_shared_name():
    with pytest.raises(ConfigError, match="'transfer'"):
        Agent(ScriptedModel([]), [transfer, _preview], world=Account(balance=10))


def test_distinct_names_still_build():
    node = GuardNode([transfer], world=Account(balance=10))
    assert set(node.specs) == {"transfer"} and node.specs["transfer"].is_effect
