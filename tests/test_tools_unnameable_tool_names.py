"""A tool whose name no call can name is refused when it is declared, naming the name.

1. `@effect(name="pay\\x00")` (or a LangChain tool so named) made `Agent(...)` raise
   `ValueError: type name must not contain null characters`, from pydantic's `create_model` building the
   arguments' model: neither the tool nor its name is said. A name holding a lone surrogate raised
   `UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800'` the same way.
2. A tool named by more than 128 characters was accepted, but `GuardNode.handle` shows a call's name longer
   than 128 by its repr (so that the journal and spans never hold megabytes), so every call of it was
   denied "unknown tool 'xxx...'; the tools are: xxx...": an agent that compiles and can never call its tool.
3. `ToolGate.register_node(None)` (or a number) registered an effect node named None.

Expected: a `ConfigError` naming the problem where the tool is declared; a name of 128 characters still
works end to end.

Fixed: check_tool_name raises a ConfigError where the tool is declared (ToolSpec, ToolSpec.of); MAX_TOOL_NAME
is the one limit.
"""

from __future__ import annotations

import pytest
from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import ToolGate
from vfa import Agent, ConfigError, effect
from vfa.testing import ScriptedModel

BAD = ["pay\x00", "pa\ud800y", "p" * 129]


def _fn(x: int) -> str:
    """Do it."""
    return f"did {x}"


@pytest.mark.parametrize("name", BAD)
def test_effect_with_a_name_no_call_can_name_is_refused(name: str) -> None:
    with pytest.raises(ConfigError, match="name"):
        Agent(ScriptedModel(["ok"]), [effect(name=name)(_fn)])


@pytest.mark.parametrize("name", BAD)
def test_langchain_tool_with_a_name_no_call_can_name_is_refused(name: str) -> None:
    tool = StructuredTool.from_function(_fn, name="do", description="Do it.")
    tool.name = name  # (LangChain itself builds its schema from the name it is made with)
    with pytest.raises(ConfigError, match="name"):
        Agent(ScriptedModel(["ok"]), [tool])


@pytest.mark.parametrize("name", [None, 1, ""])
def test_effect_node_named_by_no_text_is_refused(name: object) -> None:
    with pytest.raises(ConfigError, match="name"):
        ToolGate().register_node(name)  # type: ignore[arg-type]


def test_name_of_128_characters_still_called_and_committed() -> None:
    name = "p" * 128
    model = ScriptedModel([(name, {"x": 1}), "ok"])
    agent = Agent(model, [effect(name=name)(_fn)])
    out = agent.compile(checkpointer=InMemorySaver()).invoke(
        {"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
    assert out["messages"][2].content == "did 1"
    assert [e.kind for e in agent.journal.entries()][-1] == "committed"
