"""A small agent for values cut across calls: a private note read in clear, then sends, posts, searches and logs."""

from __future__ import annotations

import re
from typing import Any

from _turns import by_turn
from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards._flow import PrivacyFlow
from guards._privacy_decl import PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER, BOB, EVE = "me@home.example", "bob@family.example", "eve@else.example"
NOTE = "Locker code 4417-2093-8861, keep it safe."
ACCOUNT = "5550123478"


def build(calls, *, note: str = NOTE, flow: PrivacyFlow | None = None, journal=None, checkpointer=None,
          thread: str = "t1", fail_send: bool = False, prompt: str = "go", read: bool = True, handled: bool = False):
    """Run: read_note (its content shown in clear, or as a handle when `handled`), then `calls` (a step may
    be a list: parallel calls). Returns (sent, posts, denials, flow)."""
    sent: list[dict] = []
    posts: list[str] = []

    @privacy_sink()
    @privacy_source(private=["content"], handle=handled, kind="file", key="path")
    def read_note(path: str) -> dict:
        """Read a note."""
        return {"path": path, "content": note}

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def send(to: list[str], body: str) -> str:
        """Send a message."""
        sent.append({"to": to, "body": body})
        if fail_send:
            raise RuntimeError("smtp hiccup")
        return "sent"

    @privacy_sink(disclose={"content": "*"})
    @privacy_source()
    @effect
    def post(content: str) -> str:
        """Publish a text."""
        posts.append(content)
        return "posted"

    @privacy_sink()
    @privacy_source()
    def search(query: str) -> str:
        """Search the web (its query is published: undeclared arguments of a sink go to everyone)."""
        posts.append(query)
        return "no results"

    @privacy_source()
    @effect
    def log(text: str) -> str:
        """A tool without a sink declaration (every argument published)."""
        posts.append(text)
        return "logged"

    script = [("read_note", {"path": "n"})] * read + [*calls]

    def rule(messages):
        last = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        done = sum(1 for m in messages[last:] if m.__class__.__name__ == "AIMessage")
        return script[done] if done < len(script) else "done"

    flow = flow or PrivacyFlow(PrivacyPolicy.of(USER), secret=b"t", journal=journal)
    app = Agent(ScriptedModel(rule=rule), [read_note, send, post, search, log], guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=checkpointer)
    out = app.invoke({"messages": [HumanMessage(prompt)]}, {"configurable": {"thread_id": thread}})
    denials = [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage) and "denied" in str(m.content)]
    return sent, posts, denials, flow


def denials_of(model: Any, tools: list[Any], *, mode: str = "private", prompt: str = f"Answer {EVE}.") -> list[str]:
    """Run `model` with `tools` under the user's privacy guard (`context_taint=mode`), asked `prompt`: the
    denials the model read."""
    flow = PrivacyFlow(PrivacyPolicy.of(USER, context_taint=mode), secret=b"t")
    app = Agent(model, tools, guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(prompt)]}, {"configurable": {"thread_id": "t"}})
    return [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage) and "denied" in str(m.content)]


def last_handle(messages: list[Any]) -> str:
    """The first handle («…») in the last tool message."""
    return re.search(r"«[^»]+»", str([m for m in messages if isinstance(m, ToolMessage)][-1].content)).group(0)


def note_mail_send(sent: list[str]) -> tuple[Any, Any, Any]:
    """Three tools the strict-context tests share: read_note (the note in clear), read_mail (Eve's mail,
    its body a handle Eve may read) and send (each body it sends appended to `sent`)."""
    read_note, _accounts, send, _post = note_tools(sent)

    @privacy_sink()
    @privacy_source(private=["body"], readers_from=["sender"], kind="email", key="id")
    def read_mail() -> dict:
        """Read Eve's mail (its body shown as a handle, readable by Eve)."""
        return {"id": "m1", "sender": EVE, "body": "Lunch on Friday?"}

    return read_note, read_mail, send


def note_tools(sent: list[str], *, note: str = NOTE, posts: list[str] | None = None) -> list[Any]:
    """read_note (`note` in clear), list_accounts (`ACCOUNT` in clear), send (each body appended to
    `sent`) and post (each text appended to `posts`, when given): the approval tests' tools."""

    @privacy_sink()
    @privacy_source(private=["content"], handle=False, kind="file", key="path")
    def read_note(path: str) -> dict:
        """Read a note (shown in clear)."""
        return {"path": path, "content": note}

    @privacy_sink()
    @privacy_source(private=["number"], handle=False, kind="acct")
    def list_accounts() -> list:
        """The user's accounts (shown in clear)."""
        return [{"name": "a", "number": ACCOUNT}]

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def send(to: list[str], body: str) -> str:
        """Send a message."""
        sent.append(body)
        return "sent"

    @privacy_sink(disclose={"content": "*"})
    @privacy_source()
    @effect
    def post(content: str) -> str:
        """Publish a text."""
        (posts if posts is not None else []).append(content)
        return "posted"

    return [read_note, list_accounts, send, post]


def asking_agent(steps: list[tuple[str, dict, str]], tools: list[Any]) -> tuple[Any, dict]:
    """An agent under the user's privacy guard that asks a person about a violation (journaled,
    checkpointed), scripted one step a turn: (the compiled graph, its config)."""
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), secret=b"t", journal=journal)
    app = Agent(ScriptedModel(rule=by_turn(*steps)), tools, guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    return app, {"configurable": {"thread_id": "t"}}
