"""The objects a user prints (an agent, its flow, guard, chain and gate) say what they are,
and never show a private value or the handle secret.

`repr(agent)`, `repr(flow)`, `repr(flow.guard())`, `repr(ToolGate(...))`, `repr(GuardMiddleware(...))`
and `repr(GuardChain(...))` were `<vfa.Agent object at 0x...>` and the like (and a `GuardNode`'s repr
shows its chain and flow so, in LangChain's repr), which tells a person reading a log nothing. A `Handle`'s dataclass repr
showed the value it stands for. What must hold: each names its kind and what it is made of (tools,
guards, policy settings), and none holds the handle secret or a value behind a handle, also after a
run, nor (but a handle, minted for one thread) the id of a thread it served.

Fixed: each has a `__repr__` of names and settings; a `Handle`'s value is left out of its repr.
"""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware, ToolGate
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Agent, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

ME = "me@home.example"
SSN = "078-05-1120"
SECRET = b"repr-handle-key-0123456789abcdef"
THREAD = "user-42:tax-conversation"


@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def get_profile() -> dict:
    """The user's profile."""
    return {"name": "Emma", "ssn": SSN}


@privacy_sink(disclose={"body": "to"}, authority=["to"])
@privacy_source()
@effect
def send_email(to: str, body: str) -> str:
    """Send a mail."""
    return "sent"


@guard
def budget(p, c):
    return ALLOW


def _rule(messages):
    if sum(isinstance(m, AIMessage) for m in messages) == 0:
        return ("get_profile", {})
    if sum(isinstance(m, AIMessage) for m in messages) == 1:
        return ("send_email", {"to": ME, "body": json.loads(messages[-1].content)["ssn"]})
    return "done"


def _clean(text: str, *, thread: bool = True, ours: bool = True) -> None:
    assert not ours or "object at 0x" not in text, text
    for secret in (SSN, "078051120", SECRET.decode(), SECRET.hex(), *([THREAD] if thread else [])):
        assert secret not in text, (secret, text)


def test_an_agent_its_flow_guard_and_chain_say_what_they_are():
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=SECRET, journal=journal)
    agent = Agent(ScriptedModel(rule=_rule), [get_profile, send_email], guards=[flow.guard(), budget], flow=flow,
                  journal=journal, name="mailer")
    app = agent.compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [HumanMessage("mail me my ssn")]}, {"configurable": {"thread_id": THREAD}})
    assert flow.store.of_thread(THREAD), "the run minted no handle"

    shown = {what: repr(obj) for what, obj in [
        ("agent", agent), ("flow", flow), ("guard", flow.guard()), ("chain", agent.guard_node.chain),
        ("node", agent.guard_node), ("handle", flow.store.of_thread(THREAD)[0])]}
    for what, text in shown.items():
        # a handle is minted for one thread: it may name it; a guard node's repr is LangChain's (its parts ours)
        _clean(text, thread=what != "handle", ours=what != "node")
    assert shown["agent"].startswith("Agent(") and "mailer" in shown["agent"]
    assert "get_profile" in shown["agent"] and "send_email" in shown["agent"] and "budget" in shown["agent"]
    assert shown["flow"].startswith("PrivacyFlow(") and "deny" in shown["flow"]
    assert shown["guard"].startswith("PrivacyGuard(") and "PrivacyFlow(" in shown["guard"]
    assert shown["chain"] == "GuardChain(['privacy', 'budget'])"
    assert str(flow) == repr(flow)


def test_a_gate_and_a_middleware_say_what_they_are():
    gate = ToolGate([budget], read_only=["lookup"])
    for text in (repr(gate), repr(GuardMiddleware([budget]))):
        _clean(text)
        assert "budget" in text
    assert repr(gate).startswith("ToolGate(") and repr(GuardMiddleware([budget])).startswith("GuardMiddleware(")
