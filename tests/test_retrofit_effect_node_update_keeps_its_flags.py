"""An effect node's own yes/no flags reach the state as it wrote them, under a flow.

Scenario. A graph guarded by `guard_graph` with a privacy flow. The model reads the user's profile
through the gated `ToolNode`; the profile holds a private yes/no (`flagged: False`). The app's effect
node `mail_me` then mails a reply and writes its own flag, `sent: False` (say, the mail server
refused), for a conditional edge to route on.

Since a47e76d the node's update is written with each value a handle of the thread stands for as its
handle (graphs/_retrofit.py `_withheld`). It applies `HandleStore.withheld` (made for a guard's
words) to every scalar of the update, and that writes *every* bool as "‹withheld›" once the thread
holds a private bool: `sent` becomes the text "‹withheld›", which is truthy, so a route on
`state["sent"]` takes the "sent" branch for a mail that was not sent; a typed field holds text.

Must hold: a bool the node wrote is in the state as that bool (True stays True, False stays False).

Fixed: an effect node's update passes bools through unchanged (graphs/_retrofit.py, _withheld).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"


class _State(MessagesState):
    sent: bool


def _app(sent: bool) -> Any:
    @tool
    @privacy_source(private=["flagged"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "flagged": False}

    def rule(messages: list[Any]) -> Any:
        if not any(m.type == "tool" for m in messages):
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "p1", "type": "tool_call"}])
        return "Your profile is fine." if messages[-1].type == "tool" else "done"

    model = ScriptedModel(rule=rule)

    def mail_me(state: Any) -> Any:
        return {"messages": [AIMessage("Mail attempted.")], "sent": sent}

    def route(state: Any) -> Any:
        last = state["messages"][-1]
        return "tools" if last.tool_calls else ("mail_me" if last.content.startswith("Your") else END)

    b = StateGraph(_State)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([get_profile]))
    b.add_node("mail_me", mail_me)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", route, ["tools", "mail_me", END])
    b.add_edge("tools", "agent")
    b.add_edge("mail_me", END)
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"effect-node-flags")
    args_of = lambda state: {"to": USER, "body": state["messages"][-1].content}  # noqa: E731
    return graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"], checkpointer=InMemorySaver(),
                              effect_nodes={"mail_me": (args_of, None)})


def test_an_effect_nodes_bool_is_kept() -> None:
    for sent in (False, True):
        cfg = {"configurable": {"thread_id": f"t-{sent}"}}
        out = _app(sent).invoke({"messages": [HumanMessage("Check my profile and mail me.")]}, cfg)
        assert any("«flagged:" in str(m.content) for m in out["messages"]), "control: the profile's flag is a handle"
        assert out["sent"] is sent, f"the node wrote sent={sent}; the state holds {out['sent']!r}"
