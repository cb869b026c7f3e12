"""The tools the echo tests share: a draft a sink keeps (its body its recipient's to read) and a send."""

from __future__ import annotations

import re
from typing import Any

from guards import privacy_sink, privacy_source
from vfa import effect


def read_note_tool(note: str, *, handled: bool = False) -> Any:
    """read_note: the user's note, private to them, shown in clear (or as a handle, `handled`), keyed by its path."""

    @privacy_sink()
    @privacy_source(private=["content"], handle=handled, kind="file", key="path")
    def read_note(path: str) -> dict:
        """Read a note."""
        return {"path": path, "content": note}

    return read_note


def save_draft_tool() -> Any:
    """save_draft: a sink that keeps its arguments, sending nothing on; its result's body is its recipient's."""

    @privacy_sink(internal=["to", "body"])
    @privacy_source(private=["body"], readers_from=["to"], kind="draft", key="id")
    def save_draft(to: str, body: str) -> dict:
        """Save a draft (kept, sent to nobody); its body is its recipient's to read."""
        return {"id": "d1", "to": to, "body": body}

    return save_draft


def send_tool(sent: list[tuple[str, str]]) -> Any:
    """send: an effect whose body is disclosed to `to`, recording what it sent in `sent`."""

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def send(to: str, body: str) -> str:
        """Send a message."""
        sent.append((to, body))
        return "sent"

    return send


ME = "me@home.example"
"""The user whose privacy policy the echo tests run under."""


def reply_quoting(tools: list[Any], reads: list[tuple[str, dict]], to: str, says: str, pattern: str, secret: bytes,
                  asks: str) -> None:
    """Run a scripted agent under the user's privacy flow: it makes the `reads` in turn, then sends `to` the text
    `says` with the last handle of the last result matching `pattern` in it."""
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    from guards import PrivacyFlow, PrivacyPolicy
    from vfa import Agent
    from vfa.testing import ScriptedModel

    def rule(ms: list[Any]) -> Any:
        done = [m for m in ms if isinstance(m, ToolMessage)]
        if len(done) < len(reads):
            name, args = reads[len(done)]
            return AIMessage("", tool_calls=[{"name": name, "id": f"c{len(done)}", "args": args}])
        if len(done) == len(reads):
            found = re.findall(pattern, str(done[-1].content))
            assert found, done[-1].content
            reply = {"to": to, "body": says.format(found[-1])}
            return AIMessage("", tool_calls=[{"name": "send", "id": "c9", "args": reply}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=secret)
    app = Agent(ScriptedModel(rule=rule), tools, guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage(asks)]}, {"configurable": {"thread_id": "t"}})
