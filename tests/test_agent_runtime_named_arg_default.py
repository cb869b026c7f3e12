"""An `Agent`'s tool with a model-written argument named `runtime` that the model leaves out (it has a
default) is given that default, as the guards judged it, never a `ToolRuntime`.

An `Agent` injects through a `ToolNode`'s `_inject_tool_args`, which takes any parameter *named*
`runtime` for the runtime, and put back only what the model *wrote*. One it left out (a default of 90
minutes, which the guards were shown) stayed the `ToolRuntime`: the call failed, its validation error
quoting the conversation back to the model; a tool taking `runtime: Any` would have been handed the
conversation's state where the guards judged a public default.

Fixed: after injection the tool keeps only the injected names `injected_args` lists, plus what the model
wrote (`vfa/_injected.py`).

What must hold: the tool gets 90 (what the guards judged); the call succeeds; no state is quoted.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import InjectedState

from vfa import ALLOW, Agent, guard
from vfa.testing import ScriptedModel

SECRET = "my pin is 4921"
GOT: list[Any] = []


@tool
def schedule_here(title: str, state: Annotated[dict, InjectedState], runtime: Any = 90) -> str:
    """Schedule a screening of a film of this runtime (minutes), counting the conversation's messages."""
    GOT.append(runtime)
    return f"{title}: {runtime} min, n={len(state['messages'])}"


def test_an_omitted_argument_named_runtime_is_given_its_judged_default():
    GOT.clear()
    seen: list[dict[str, Any]] = []

    @guard
    def spy(p, c):
        seen.append(dict(p.args))
        return ALLOW

    app = Agent(ScriptedModel([("schedule_here", {"title": "Heat"}), "done"]), [schedule_here], guards=[spy]).compile()
    out = app.invoke({"messages": [HumanMessage(SECRET)]}, {"configurable": {"thread_id": "t"}})
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert seen == [{"title": "Heat", "runtime": 90}]
    assert GOT == [90], f"the tool was given {type(GOT[0]).__name__}, not the default the guards judged"
    assert message.status == "success" and message.content == "Heat: 90 min, n=2"
    assert SECRET not in str(message.content)
