"""An agent's tools given as something other than a list are refused naming `tools`.

README "Quickstart" builds `Agent(model, [transfer], ...)`. A new user who drops the brackets got Python's bare
"'Effect' object is not iterable" (`Agent(model, transfer)`), "'NoneType' object is not iterable"
(`Agent(model, None)`), and for the tool's name in place of the tool, `Agent(model, "transfer")`, the riddle
"cannot use 't' as a tool" (its first letter). The guard node built by hand (`GuardNode(transfer)`) the same.

What must hold: a `TypeError` or a `VfaError` at construction whose message names `tools` and what was given
(the whole text, not its first letter); one tool outside its list is told to go in one; a list, a tuple and
any iterable (a generator) still build.

Fixed: tool_list reads an agent's or guard node's tools and names what is no list of them.
"""

from __future__ import annotations

from typing import Any

import pytest

from vfa import Agent, GuardNode, VfaError, effect
from vfa.testing import ScriptedModel


@effect
def transfer(to: str, amount: int) -> str:
    """Send money."""
    return "sent"


def lookup(who: str) -> str:
    """Look a payee up."""
    return who


BUILDERS: dict[str, Any] = {
    "Agent": lambda tools: Agent(ScriptedModel([]), tools),
    "GuardNode": lambda tools: GuardNode(tools),
}


@pytest.mark.parametrize("builder", list(BUILDERS), ids=list(BUILDERS))
@pytest.mark.parametrize("given", [transfer, lookup], ids=["an effect", "a function"])
def test_one_tool_outside_its_list_is_refused_naming_tools(builder, given):
    with pytest.raises((TypeError, VfaError)) as caught:
        BUILDERS[builder](given)
    message = str(caught.value)
    assert "tools" in message and "not iterable" not in message, message
    assert "list" in message, message


@pytest.mark.parametrize("builder", list(BUILDERS), ids=list(BUILDERS))
def test_a_tools_name_for_the_tools_is_refused_whole(builder):
    with pytest.raises((TypeError, VfaError)) as caught:
        BUILDERS[builder]("transfer")
    message = str(caught.value)
    assert "tools" in message and "'transfer'" in message, message
    assert "cannot use 't'" not in message


@pytest.mark.parametrize("builder", list(BUILDERS), ids=list(BUILDERS))
def test_none_for_the_tools_is_refused_naming_tools(builder):
    with pytest.raises((TypeError, VfaError)) as caught:
        BUILDERS[builder](None)
    assert "tools" in str(caught.value) and "not iterable" not in str(caught.value), caught.value


def test_lists_tuples_and_iterables_still_build():
    assert list(Agent(ScriptedModel([]), [transfer, lookup]).guard_node.specs) == ["transfer", "lookup"]
    assert list(Agent(ScriptedModel([]), (transfer,)).guard_node.specs) == ["transfer"]
    assert list(Agent(ScriptedModel([]), (t for t in [lookup])).guard_node.specs) == ["lookup"]
    assert list(Agent(ScriptedModel([])).guard_node.specs) == []
    assert list(GuardNode([transfer]).specs) == ["transfer"]


@pytest.mark.parametrize("builder", list(BUILDERS), ids=list(BUILDERS))
def test_one_langchain_tool_outside_its_list_is_refused_naming_tools(builder):
    """A LangChain tool is a pydantic model, iterable as its fields: it was read as ('name', 'search') and
    refused as "cannot use ('name', 'search') as a tool"."""
    from langchain_core.tools import tool

    @tool
    def search(q: str) -> str:
        """Search."""
        return q

    with pytest.raises((TypeError, VfaError)) as caught:
        BUILDERS[builder](search)
    message = str(caught.value)
    assert "tools" in message and "list" in message and "('name'" not in message, message


@pytest.mark.parametrize("builder", list(BUILDERS), ids=list(BUILDERS))
def test_a_dict_of_tools_by_name_is_refused_saying_so(builder):
    """A dict is iterable as its keys: `{"transfer": transfer}` was read as the tool named by a text, and
    refused as "cannot use 'transfer' as a tool", which does not say that a dict was given."""
    with pytest.raises(TypeError, match=r"not a dict of them by name.*tools\.values\(\)"):
        BUILDERS[builder]({"transfer": transfer})


def test_an_effect_called_directly_names_the_retrofit_way_too():
    from vfa import UnmediatedEffectError

    with pytest.raises(UnmediatedEffectError, match="guard_graph"):
        transfer(to="bob", amount=1)
