"""A subgraph already guarded by another gate is refused when the app around it is guarded.

Attack. A team guarded its agent with a rule of its own (`inner = guard_graph(agent, [rule])`, no
flow), then uses it as a node of a larger app and guards the app with a privacy flow
(`guard_graph(app, [flow.guard()], flow=flow)`). `guard_graph` walks into the compiled subgraph, but
`guard_tool_node` returns a ToolNode that is already `__vfa_mediated__` as it is, whichever gate
mediates it, and the coverage check counts it as gated (it compares flows only for a `GatedTool`). So
the subgraph's calls ran through the first gate alone: `get_profile`'s SSN (declared private,
handled) is shown to the model in clear, and `send_email(to=mallory, body=SSN)` is sent, though the
app was guarded with the flow and no error was raised. README: "Guard an agent with one gate"
(two gates on one agent run no call, `ConfigError`), and with `flow=flow` "a tool no privacy guard of
the agent's flow judges is refused at set-up (`PolicyError`, naming it)".

Expected. `guard_graph` refuses the app (`ConfigError`/`PolicyError`/`CoverageError`: a ToolNode gated
by another gate, without this flow), or the subgraph's calls go through the flow; in no case is the
SSN shown in clear or mailed to mallory.

Where. `graphs/_retrofit.py` `guard_tool_node` (`__vfa_mediated__`: returned unchanged, another gate's
too) and `graphs/_coverage.py` `_Tools.mediated` (a flow-less gate's ToolNode counted as gated).

Fixed: `guard_tool_node` refuses a ToolNode another gate mediates (`ConfigError`): guard an agent with
one gate (red team 103).
"""

from __future__ import annotations

from typing import Any

import pytest
from _profile_mail import USER, profile_and_mail
from _tool_loop import model_node, tool_loop
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from guards import PrivacyFlow, PrivacyPolicy
from vfa import ALLOW, ConfigError, guard
from vfa.testing import ScriptedModel


@guard
def team_rule(p: Any, c: Any) -> Any:
    return ALLOW


def test_an_app_guarded_with_a_flow_does_not_keep_a_subgraph_gated_without_it() -> None:
    get_profile, send_email, rule = profile_and_mail([])
    inner = graphs.guard_graph(tool_loop(model_node(ScriptedModel(rule=rule)), ToolNode([get_profile, send_email])),
                               [team_rule])
    outer = StateGraph(MessagesState)
    outer.add_node("assistant", inner)
    outer.add_edge(START, "assistant")
    outer.add_edge("assistant", END)
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt103-subgraph")
    with pytest.raises(ConfigError, match="already gated by another gate"):
        graphs.guard_graph(outer, [flow.guard()], flow=flow, read_only=["get_profile"])
