"""A `GuardMiddleware` thread under a privacy flow re-reads every earlier result at every call.

Each gate message carries the digest of what the gate wrote, so the flow checks it against its own
observation of the call (`PrivacyFlow._shown_otherwise`). That check ran on every tool message of the
thread at every model call and every call's labelling: each earlier result's text was parsed as JSON
again (a list result) and hashed again, so a call's work grew with the bytes the thread had read, and
a thread's with their square (300 turns of 14 KB pages: 90,000 parses and hashes, 6.6 s of 16 s).

What must hold: the work of checking a thread's gate messages grows with its results, not with their
square. Measured by the characters the flow hashes over a whole thread of n and of 4n turns (the same
process, no clock): linear gives about 4x, the re-reading about 16x.

Fixed: the digests are worked out once per observation and text (Observation._digests); a message without a
digest is compared by its text before any parse.
"""

from __future__ import annotations

import hashlib

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import EffectJournal
from vfa.testing import ScriptedModel

ME = "me@home.example"


@tool
@privacy_source(untrusted=True, kind="page")
def fetch(i: int) -> list:
    """A page of rows (a JSON list: the flow's check parsed it again at every call)."""
    return [{"row": j, "text": f"row {j} of page {i}: " + "lorem ipsum " * 6} for j in range(40)]


@tool
@privacy_sink(disclose={"body": "to"}, authority=["to"])
@privacy_source()
def send_email(to: list[str], body: str) -> str:
    """Send an email."""
    return "sent"


def _hashed_chars(turns: int, monkeypatch) -> int:
    """Characters fed to SHA-256 over one thread of `turns` fetches (a gate, a flow, a journal)."""
    fed = [0]
    real = hashlib.sha256

    def counting(data: bytes = b"", *args, **kwargs):
        fed[0] += len(data)
        return real(data, *args, **kwargs)

    def rule(messages):
        k = sum(isinstance(m, AIMessage) for m in messages)
        return ("fetch", {"i": k}) if k < turns else "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), journal=journal)
    app = create_agent(ScriptedModel(rule=rule), [fetch, send_email],
                       middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    with monkeypatch.context() as m:
        m.setattr(hashlib, "sha256", counting)
        out = app.invoke({"messages": [HumanMessage("read the pages")]},
                         {"configurable": {"thread_id": "t"}, "recursion_limit": 10 * turns + 10})
    shown = [msg for msg in out["messages"] if msg.type == "tool"]
    assert len(shown) == turns and all(msg.status == "success" for msg in shown)
    return fed[0]


def test_a_threads_gate_messages_are_not_hashed_again_at_every_call(monkeypatch):
    n = 10
    short, long = _hashed_chars(n, monkeypatch), _hashed_chars(4 * n, monkeypatch)
    assert short > 0
    assert long < 8 * short, f"{n} turns hashed {short} characters, {4 * n} turns {long} ({long / short:.1f}x)"
