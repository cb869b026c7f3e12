"""A single-input LangChain `Tool` under vfa's `Agent` runs the call the model is shown how to write, or is refused
when registered with an error naming the problem.

The model is shown `{"__arg1": string}` for `Tool(name=..., func=..., description=...)` (LangChain's
`convert_to_openai_tool`), but `vfa/_lc_tools.py` `args_model_of` validates the call by the tool's
`tool_call_schema`, which for a `Tool` is read off `Tool._run`'s signature (`args`, `config`, `kwargs`): every
call the model writes is denied "config: Field required" (since 06dd63a, "'__arg1': no argument of the tool"),
an error that names neither the tool kind nor a fix (LangChain hands a `Tool` the one value of the call, whatever
its key).

What must hold: the call `{"__arg1": "x"}` runs the tool, or registering it raises `ConfigError` naming `Tool`.

Fixed: a single-input Tool (no args_schema) is refused when registered, ConfigError naming it and the fix
(vfa._lc_tools.args_model_of).
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import Tool

from vfa import Agent, ConfigError
from vfa.testing import ScriptedModel


def test_a_single_input_tool_runs_the_call_the_model_is_shown():
    single = Tool(name="lookup", func=lambda q: f"found {q}", description="Look a word up.")
    try:
        app = Agent(ScriptedModel([("lookup", {"__arg1": "x"}), "done"]), [single]).compile()
    except ConfigError as exc:
        assert "Tool" in str(exc)
        return
    out = app.invoke({"messages": [HumanMessage("hi")]}, {"configurable": {"thread_id": "t"}})
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert message.content == "found x", message.content
