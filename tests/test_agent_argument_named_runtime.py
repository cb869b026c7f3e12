"""An `Agent` gave a ToolRuntime to a tool's own argument that is merely *named* `runtime`.

`vfa/_injected.py` `injected_args` reads what a tool is injected with as LangGraph's `ToolNode` reads it
(`_get_all_injected_args`), and that reading takes any parameter named `runtime` for the runtime, whatever
its type. Since today `_from_langchain_tool` (`vfa/_tools.py`) runs every tool with an injected argument
through `injected_runs`, which drops what the model wrote there and injects a `ToolRuntime`. So a plain
tool such as `schedule(title: str, runtime: int)` (a film's runtime), whose `runtime` the model is shown
and writes and the guards judge (it is in `tool_call_schema`), ran with the model's value yesterday and
now fails at every call with pydantic's "Input should be a valid integer ... ToolRuntime(state={'messa...",
the conversation's state quoted to the model; the guards judged a value the tool was never given.

Fixed: `_from_langchain_tool` injects only arguments the model is not shown, and `injected_runs` puts what the
model wrote back over the `ToolNode`'s injection (a `graphs` gate, in front of a real ToolNode, is unchanged).

What must hold: an argument the model is shown is the model's: the `Agent` gives the tool what the model
wrote there (and the guards judged); only arguments hidden from the model are injected.

Fixed: an Agent injects only arguments the model is not shown (`_shown_names`), and puts the model's
written arguments back over the ToolNode's injection.
"""

from __future__ import annotations

from typing import Annotated

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import InjectedState

from vfa import ALLOW, Agent, guard
from vfa.testing import ScriptedModel


@tool
def schedule(title: str, runtime: int) -> str:
    """Schedule a screening of a film of this runtime (minutes)."""
    return f"{title}: {runtime} min"


@tool
def schedule_here(title: str, runtime: int, state: Annotated[dict, InjectedState]) -> str:
    """Schedule a screening, counting the conversation's messages."""
    return f"{title}: {runtime} min, n={len(state['messages'])}"


def _shown(t, args):
    seen = []

    @guard
    def spy(p, c):
        seen.append(dict(p.args))
        return ALLOW

    app = Agent(ScriptedModel([(t.name, args)]), [t], guards=[spy]).compile()
    out = app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), seen


def test_an_argument_named_runtime_that_the_model_writes_is_given_as_written():
    message, seen = _shown(schedule, {"title": "Heat", "runtime": 170})
    assert seen == [{"title": "Heat", "runtime": 170}]
    assert message.status == "success", message.content
    assert message.content == "Heat: 170 min"


def test_beside_injected_state_too():
    message, seen = _shown(schedule_here, {"title": "Heat", "runtime": 170})
    assert seen == [{"title": "Heat", "runtime": 170}]
    assert message.status == "success", message.content
    assert message.content == "Heat: 170 min, n=2"
