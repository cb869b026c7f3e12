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


def kept_draft_tools(sent: list[tuple[str, str]]) -> list[Any]:
    """save_draft, append_to_draft, copy_draft (internal sinks keeping drafts by id, each body its recipient's to
    read) and send_draft (a draft sent by its id, recording what it sent in `sent`)."""
    drafts: dict[str, dict[str, str]] = {}

    @privacy_sink(internal=["to", "body"])
    @privacy_source(private=["body"], readers_from=["to"], kind="draft", key="id")
    def save_draft(to: str, body: str) -> dict:
        """Save a draft (kept, sent to nobody); its body is its recipient's to read."""
        drafts["d1"] = {"id": "d1", "to": to, "body": body}
        return dict(drafts["d1"])

    @privacy_sink(internal=["id", "text"])
    @privacy_source(private=["body"], readers_from=["to"], kind="draft", key="id")
    def append_to_draft(id: str, text: str) -> dict:
        """Append text to a saved draft."""
        drafts[id]["body"] += text
        return dict(drafts[id])

    @privacy_sink(internal=["id", "new_id"])
    @privacy_source(private=["body"], readers_from=["to"], kind="draft", key="id")
    def copy_draft(id: str, new_id: str) -> dict:
        """Copy a saved draft under a new id."""
        drafts[new_id] = dict(drafts[id], id=new_id)
        return dict(drafts[new_id])

    @privacy_sink(disclose={"id": "to"}, refers={"id": "draft"})
    @privacy_source()
    @effect
    def send_draft(id: str, to: str) -> str:
        """Send a saved draft."""
        sent.append((to, drafts[id]["body"]))
        return "sent"

    return [save_draft, append_to_draft, copy_draft, send_draft]


def run_calls(tools: list[Any], calls: list[tuple[str, dict]], secret: bytes, asks: str) -> None:
    """Run a scripted agent under the user's privacy flow that makes `calls` in turn, then is done."""
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    from guards import PrivacyFlow, PrivacyPolicy
    from vfa import Agent
    from vfa.testing import ScriptedModel

    def rule(ms: list[Any]) -> Any:
        done = [m for m in ms if isinstance(m, ToolMessage)]
        if len(done) < len(calls):
            name, args = calls[len(done)]
            return AIMessage("", tool_calls=[{"name": name, "id": f"c{len(done)}", "args": args}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=secret)
    app = Agent(ScriptedModel(rule=rule), tools, guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage(asks)]}, {"configurable": {"thread_id": "t"}})
