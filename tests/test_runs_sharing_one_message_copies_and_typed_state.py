"""A retrofitted graph's runs copy the id-less messages they are given, also on its copies and with typed state.

`guard_graph` swaps the compiled graph's class for a subclass (`graphs/_retrofit.py` `_owning`) whose
stream/astream copy the id-less input messages under the gate's `messages_key`, so runs without a thread id
handed one message object get journal keys of their own (else LangGraph stamps one id into the caller's
object, and the second and third runs' payments are answered from the first's record, never made).

Two ways it did not hold:
- `with_config(...)` / `copy()` (LangGraph's `Pregel.copy`: `self.__class__(**attrs)`) dropped the instance's
  `_vfa_messages_key`, so a copy of a graph keyed "chat" copied the messages under "messages": one payment
  of three;
- a state schema that is a pydantic model or a dataclass (LangGraph takes an instance of it as input) was
  not read at all (`own_messages` looks into mappings only): one payment of three, and the caller's message
  stamped.

What must hold: three runs handed one message object pay three times, and the caller's message keeps no id.

Fixed: the messages key lives on the generated subclass (one per app class and key), which LangGraph's copies
keep; own_messages copies a pydantic or dataclass state input too.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Annotated, Any

import pytest
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.graph import START, StateGraph, add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from pydantic import BaseModel
from typing_extensions import TypedDict

import graphs
from vfa import EffectJournal
from vfa.testing import ScriptedModel


def _app(paid: list[str], state: Any, key: str = "messages") -> Any:
    lock = threading.Lock()

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        with lock:
            paid.append(to)
        return f"paid {amount} to {to}"

    model = ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"])

    def agent(s: Any) -> dict[str, Any]:
        return {key: [model.invoke(s[key] if isinstance(s, dict) else getattr(s, key))]}

    b = StateGraph(state)
    b.add_node("agent", agent)
    b.add_node("tools", ToolNode([pay], messages_key=key))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", lambda s: tools_condition(s, messages_key=key))
    b.add_edge("tools", "agent")
    return graphs.guard_graph(b, journal=EffectJournal(), messages_key=key)


Chat = TypedDict("Chat", {"chat": Annotated[list, add_messages]})  # noqa: UP013 - a key that is not "messages"


@pytest.mark.parametrize("how", ["with_config", "copy"])
def test_a_copy_of_a_retrofitted_graph_keeps_its_messages_key(how: str) -> None:
    paid: list[str] = []
    app = _app(paid, Chat, key="chat")
    app = app.with_config(recursion_limit=40) if how == "with_config" else app.copy()
    msg = HumanMessage("pay bob 5")
    for _ in range(3):
        app.invoke({"chat": [msg]})
    assert len(paid) == 3, f"three runs paid {len(paid)} time(s): the copy copied no message under 'chat'"
    assert msg.id is None


class ModelState(BaseModel):
    messages: Annotated[list, add_messages]


@dataclasses.dataclass
class DataState:
    messages: Annotated[list, add_messages]


@pytest.mark.parametrize("state", [ModelState, DataState], ids=["pydantic", "dataclass"])
def test_runs_given_one_message_in_a_typed_state_each_pay(state: type) -> None:
    paid: list[str] = []
    app = _app(paid, state)
    msg = HumanMessage("pay bob 5")
    for _ in range(3):
        app.invoke(state(messages=[msg]))
    assert len(paid) == 3, f"three runs paid {len(paid)} time(s): they shared the stamped message's journal key"
    assert msg.id is None
