"""A draft that echoes the user's note is the note's also when a sink refers to it by its key (default mode).

The echo rule (`PrivacyFlow._echo`, `tests/test_privacy_echo_behind_a_handle.py`) narrows the handle of a draft's
body that echoes the note the model wrote in clear: `send(to=Eve, body=«draft body»)` is denied. But a sink
may name the draft by its key instead (`send_draft(id, to)`, declared `refers={"id": "draft"}`): the guard
labels that argument with the record's label the result showed (`PrivacyFlow.key_label`), which was the draft
record's declared one (readers: the user and the draft's `to`), never narrowed by the echo. So
`send_draft(id="d1", to=Eve)` went, and the note reached Eve through the stored draft.

What must hold: sending the draft that echoes the note to Eve is denied, by its key as by its body's handle; a
draft of the model's own words to Eve still goes (control), and so does the note's draft to the user (control).

Fixed: a record one of whose fields the echo narrowed is known by its key with that label too
(`_Walk.echoed_in`, joined into the observation's `keys`).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from _echo_tools import read_note_tool
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

ME, EVE = "me@home.example", "eve@else.example"
NOTE = "Locker code 4417-2093-8861, keep it safe and tell nobody about the garage."


def _run(body: str, to: str) -> list[tuple[str, str]]:
    """Read the note (in clear), save a draft of `body` to `to`, then send the draft by its id to `to`; what was sent."""
    drafts: dict[str, str] = {}
    sent: list[tuple[str, str]] = []

    read_note = read_note_tool(NOTE)

    @privacy_sink(internal=["to", "body"])
    @privacy_source(private=["body"], readers_from=["to"], kind="draft", key="id")
    def save_draft(to: str, body: str) -> dict:
        """Save a draft (kept, sent to nobody); its body is its recipient's to read."""
        drafts["d1"] = body
        return {"id": "d1", "to": to, "body": body}

    @privacy_sink(disclose={"id": "to"}, refers={"id": "draft"})
    @privacy_source()
    @effect
    def send_draft(id: str, to: str) -> str:
        """Send a saved draft."""
        sent.append((to, drafts[id]))
        return "sent"

    calls = [("read_note", {"path": "n"}), ("save_draft", {"to": to, "body": body}), ("send_draft", {"id": "d1", "to": to})]

    def rule(ms: list[Any]) -> Any:
        done = [m for m in ms if isinstance(m, ToolMessage)]
        if len(done) < len(calls):
            name, args = calls[len(done)]
            return AIMessage("", tool_calls=[{"name": name, "id": f"c{len(done)}", "args": args}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"echo-record-key")
    app = Agent(ScriptedModel(rule=rule), [read_note, save_draft, send_draft], guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage(f"Draft a note to {EVE} and send it.")]}, {"configurable": {"thread_id": "t"}})
    return sent


def test_control_a_draft_of_the_models_own_words_goes_to_eve() -> None:
    assert _run("lunch on friday?", EVE) == [(EVE, "lunch on friday?")]


def test_control_the_notes_draft_goes_to_the_user() -> None:
    assert _run(NOTE, ME) == [(ME, NOTE)]


def test_the_note_does_not_reach_eve_through_the_drafts_key() -> None:
    sent = _run(NOTE, EVE)
    assert sent == [], f"the user's private note reached Eve through the draft sent by its key: {sent}"
