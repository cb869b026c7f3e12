"""Red team 75: a tool name or call id holding a lone surrogate is denied, not a crash of the guard node.

A model's tool call is JSON, and `"name": "lookup\\ud800"` decodes to a str with a lone surrogate,
which UTF-8 cannot encode. The node hashed the name into the call's fingerprint and the journal bound
the name and the id as SQLite text: both raised `UnicodeEncodeError`, which escaped `GuardNode.handle`
and failed the whole run. The README promises that unknown tools and invalid input are denials, not
crashes: such a name is now shown by its repr (an unknown tool), and such an id is refused as an id
without which a call cannot be committed exactly once.
"""

from __future__ import annotations

from langchain_core.messages import ToolMessage

from vfa import GuardNode, effect


def _node(sent: list[str]) -> GuardNode:
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        sent.append(to)
        return "sent"

    return GuardNode([transfer])


def test_an_unknown_tool_whose_name_holds_a_lone_surrogate_is_denied_not_a_crash():
    sent: list[str] = []
    node = _node(sent)
    call = {"name": "lookup\ud800", "args": {}, "id": "c1"}
    try:
        message = node.handle(call, {"messages": []}, "t")
    except UnicodeEncodeError as exc:  # the fault: the node run fails
        raise AssertionError(f"an unknown tool name crashed the guard node instead of a denial: {exc!r}") from None
    assert isinstance(message, ToolMessage) and message.artifact["vfa"]["outcome"] == "denied"
    assert message.tool_call_id == "c1" and sent == []


def test_a_call_id_holding_a_lone_surrogate_is_denied_not_a_crash():
    sent: list[str] = []
    node = _node(sent)
    call = {"name": "transfer", "args": {"to": "bob", "amount": 5}, "id": "c2\ud800"}
    try:
        message = node.handle(call, {"messages": []}, "t")
    except UnicodeEncodeError as exc:
        raise AssertionError(f"a call id crashed the guard node instead of a denial: {exc!r}") from None
    assert isinstance(message, ToolMessage) and message.artifact["vfa"]["outcome"] == "denied"
    assert sent == []  # an id that cannot be journaled cannot be committed exactly once
