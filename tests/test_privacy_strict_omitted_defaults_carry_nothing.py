"""Red team 92 (false denial): under `context_taint="private"`, every leaf of every argument in
`proposal.args` is labelled with the read taint -- including the arguments the model never wrote,
which validation filled in from the tool's defaults (`cc=None`, `priority=3`). `PrivacyFlow.label`
walks `args` (validated, defaults included), and `_leaf_label` joins `idx.read` into `None` (read as
the text "None") and into any number. So once anything private was shown in clear, a call that
carries nothing but the user's own words is denied because of arguments the model left out: here the
user asks to tell Bob "see you at noon", the model sends exactly that, and the privacy guard refuses it
("cc carries data from read:file..."). Every tool with an optional parameter is unusable after a read.

The integrity rule already knows an omitted argument needs nobody's authority (`_is_default`); the
read taint should likewise skip arguments absent from what the model wrote (`raw_args`), or at least
`None`, which carries nothing (as a blank does).

Fixed: arguments absent from what the model wrote (`raw_args`), and None, carry no read taint (`_label_args`, `_leaf_label`).
"""

from __future__ import annotations

from _split_agent import BOB, NOTE, USER
from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow
from guards._privacy_decl import PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

SAID = "see you at noon"


def _run(mode: str, call: dict) -> tuple[list[dict], list[str]]:
    sent: list[dict] = []

    @privacy_sink()
    @privacy_source(private=["content"], handle=False, kind="file", key="path")
    def read_note(path: str) -> dict:
        """Read a note (shown in clear)."""
        return {"path": path, "content": NOTE}

    @privacy_sink(disclose={"body": "to", "cc": "to"})
    @privacy_source()
    @effect
    def send(to: list[str], body: str, cc: list[str] | None = None, priority: int = 3) -> str:
        """Send a message."""
        sent.append({"to": to, "body": body, "cc": cc, "priority": priority})
        return "sent"

    flow = PrivacyFlow(PrivacyPolicy.of(USER, context_taint=mode), secret=b"t")
    steps = [("read_note", {"path": "n"}), ("send", call)]
    app = Agent(ScriptedModel(steps), [read_note, send], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Read my note, then tell {BOB}: {SAID}")]},
                     {"configurable": {"thread_id": "t"}})
    denials = [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage) and "denied" in str(m.content)]
    return sent, denials


def test_control_the_default_mode_sends_it():
    sent, denials = _run("untrusted", {"to": [BOB], "body": SAID})
    assert sent and not denials


def test_the_users_words_with_the_optional_arguments_left_out_are_sent():
    sent, denials = _run("private", {"to": [BOB], "body": SAID})
    assert [m["body"] for m in sent] == [SAID] and not denials, denials
