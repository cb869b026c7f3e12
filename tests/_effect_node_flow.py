"""Shared set-up of the tests of effect nodes under a privacy flow: a user, a thread, an allowing guard,
a state with a flag and a receipt, and one task of a node run and then answered again from the journal."""

from __future__ import annotations

from typing import Any, Callable

from langchain_core.runnables import RunnableLambda
from langgraph.graph import MessagesState

from graphs import ToolGate
from graphs._retrofit import EffectNode
from guards import PrivacyFlow, PrivacyPolicy
from vfa import ALLOW, guard

USER = "me@home.example"
CFG = {"configurable": {"thread_id": "t"}}


@guard
def allow_all(p, c):
    return ALLOW


class State(MessagesState, total=False):
    paid: bool
    receipt: str


def flow(secret: bytes) -> PrivacyFlow:
    """The user's flow, its handles minted under `secret`."""
    return PrivacyFlow(PrivacyPolicy.of(USER), secret=secret)


def run_and_replay(pay: Callable[[Any], Any], secret: bytes) -> tuple[Any, Any]:
    """What an effect node of `pay` writes on its task's first run, and when the task is run again (after a
    crash: answered from the journal)."""
    f = flow(secret)
    node = EffectNode("pay", RunnableLambda(pay), ToolGate([allow_all, f.guard()], flow=f),
                      args_of=lambda state: {"to": USER})
    config = {"metadata": {"langgraph_checkpoint_ns": "pay:task-1"}, **CFG}
    return node.invoke({"messages": []}, config), node.invoke({"messages": []}, config)
