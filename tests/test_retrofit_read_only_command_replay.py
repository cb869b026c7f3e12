"""Red team 82: a read-only tool's `Command` is lost when its ToolNode is replayed after an interrupt.

Red team 74 made the gate record a tool's `Command` whole so that a node replayed after an interrupt
returns it again. Only a committed effect is replayed that way: `ToolGate.settle` and
`_replayed_command` look for the outcome "committed", while a tool listed `read_only` ends "ran". So
when a turn runs a read-only lookup that returns `Command(update={"messages": [...], "user": ...})`
and then a call a guard asks a person about, the resumed node answers the lookup from the journal as
a plain tool message: the model reads the recorded Command's base64 blob as the tool's result, and
the lookup's state update never lands.

Fixed: a read-only call (`ran`) has its recorded `Command` replayed as an effect's (`committed`) has.
"""

from __future__ import annotations

from typing import Annotated

from _command_replay import approved_after_replay
from langchain_core.messages import ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.graph import MessagesState
from langgraph.types import Command


class State(MessagesState):
    user: str


def test_a_read_only_tools_command_survives_the_replay_after_an_interrupt() -> None:
    lookups: list[int] = []

    @tool
    def lookup_user(tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
        """Find who the user is."""
        lookups.append(1)
        return Command(update={"messages": [ToolMessage("found alice", tool_call_id=tool_call_id)], "user": "alice"})

    out = approved_after_replay(lookup_user, State, {"user": ""}, read_only=["lookup_user"])

    assert lookups == [1]  # ran once (holds)
    shown = next(m for m in out["messages"] if isinstance(m, ToolMessage) and m.tool_call_id == "call_0_0")
    assert shown.content == "found alice", f"the model reads the recorded Command: {shown.content[:80]!r}"
    assert out["user"] == "alice", "the read-only tool's state update was lost on replay"
