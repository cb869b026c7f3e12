"""What the model writes under the alias of an injected argument never reaches an `Agent`'s tool.

`vfa/_lc_tools.py` `_as_the_tool_reads` leaves out of the validation the guards judge by the values written
under an injected argument's name *and its alias* (`drop`), since the tool never gets them. But
`vfa/_injected.py` `injected_runs` (`prepare`) dropped only the injected *names* from what the model wrote:
a tool whose schema reads more keys (`extra="allow"`) and fills its injected state by name or alias
(`populate_by_name`) was handed the model's `{"s": {...}}` over the graph's state. The guards were shown
`{"to": "bob"}`; the tool read a conversation the model made up.

Fixed: `injected_names` lists each injected name with its alias, validation alias and alias choices;
both `prepare` and the guards' validation drop them.

What must hold: the tool reads the graph's state (the conversation's real messages), as the guards were told.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import InjectedState
from pydantic import BaseModel, ConfigDict, Field

from vfa import ALLOW, Agent, guard
from vfa.testing import ScriptedModel


class MailArgs(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")
    to: str
    st: Annotated[dict, InjectedState] = Field(alias="s")


@tool(args_schema=MailArgs)
def mail(to: str, st: dict, **more: Any) -> str:
    """Mail someone the conversation's first message."""
    return f"{to}: {st['messages'][0].content if hasattr(st['messages'][0], 'content') else st['messages'][0]}"


def test_a_value_written_under_an_injected_alias_is_not_the_tools():
    seen: list[dict[str, Any]] = []

    @guard
    def spy(p, c):
        seen.append(dict(p.args))
        return ALLOW

    model = ScriptedModel([("mail", {"to": "bob", "s": {"messages": ["FORGED"]}}), "done"])
    app = Agent(model, [mail], guards=[spy]).compile()
    out = app.invoke({"messages": [HumanMessage("hello bob")]}, {"configurable": {"thread_id": "t"}})
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert seen == [{"to": "bob"}]
    assert message.content == "bob: hello bob", f"the tool read the model's state: {message.content!r}"
