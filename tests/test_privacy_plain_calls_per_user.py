"""Per-user flows on one journal keep their users apart for gated tools called outside any run.

What must hold (docs/privacy.md, "Many users": give each user a flow of their own, `PrivacyFlow(PrivacyPolicy.of(
user.email), secret=SECRET, journal=journal)`; "within one flow, a thread's handles ... count on no other
thread"; `_handles`: a handle "cannot be ... carried over from another thread"): a handle one user's gated
tool handed out is never resolved for another user's call. Handles are no secret (docs/privacy.md shows them in
logs, streams, traces and checkpoints), so a handle of Alice's that Bob writes into his own call must be
denied as forged, never swapped for Alice's value.

A gated tool invoked with plain arguments outside any graph run (docs/privacy.md: it "returns the flow's view of its
result ... as the model would be shown it", for an app's own loop) is keyed on one journal thread, "", for
every caller (`graphs/_gate.py` `_thread_id`). Bob's flow, reading that thread from the shared journal, takes
Alice's results for its own, minting her handles under the shared secret: Alice's SSN handle then resolves
in Bob's call and her SSN is mailed to Bob.

Fixed: outside any run a gated tool's calls are kept on the flow's user's thread (PrivacyFlow.plain_thread),
not thread "".
"""

from __future__ import annotations

import contextvars
from typing import Any

from langchain_core.tools import tool

from graphs import ToolGate
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import EffectJournal

PROFILES = {"alice": {"email": "alice@a.example", "ssn": "111-22-3333"},
            "bob": {"email": "bob@b.example", "ssn": "078-05-1120"}}
_USER: contextvars.ContextVar[str] = contextvars.ContextVar("user")


def _tools(sent: list[Any]) -> tuple[Any, Any]:
    @tool
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The signed-in user's profile."""
        return dict(PROFILES[_USER.get()])

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: list[str], body: str) -> str:
        """Send a mail."""
        sent.append((_USER.get(), list(to), body))
        return "sent"

    return get_profile, send_email


def _gate(user: str, journal: EffectJournal) -> ToolGate:
    flow = PrivacyFlow(PrivacyPolicy.of(PROFILES[user]["email"]), secret=b"app", journal=journal)
    return ToolGate([flow.guard()], journal=journal, flow=flow, read_only=["get_profile"])


def _as(user: str, fn: Any, *args: Any) -> Any:
    ctx = contextvars.copy_context()
    ctx.run(_USER.set, user)
    return ctx.run(fn, *args)


def test_a_handle_one_users_plain_call_handed_out_is_forged_in_anothers():
    sent: list[Any] = []
    get_profile, send_email = _tools(sent)
    journal = EffectJournal()
    alice, bob = _gate("alice", journal), _gate("bob", journal)
    her_ssn = _as("alice", alice.gated(get_profile).invoke, {})["ssn"]
    assert her_ssn.startswith("«ssn:")
    # Bob reads his own profile, then writes Alice's handle (seen in a log, a shared transcript) to himself
    assert _as("bob", bob.gated(get_profile).invoke, {})["ssn"] != her_ssn
    _as("bob", bob.gated(send_email).invoke, {"to": ["bob@b.example"], "body": her_ssn})
    assert not any("111-22-3333" in body for _, _, body in sent), sent


def test_the_same_call_of_two_users_outside_a_run_is_answered_from_each_users_own_record():
    sent: list[Any] = []
    get_profile, _ = _tools(sent)
    journal = EffectJournal()
    alice, bob = _gate("alice", journal), _gate("bob", journal)
    call = {"type": "tool_call", "name": "get_profile", "args": {}, "id": "call_1"}
    assert "alice@a.example" in _as("alice", alice.gated(get_profile).invoke, call).content
    # Bob's app numbers its calls as Alice's does: his call is his, not a replay of hers
    assert "alice@a.example" not in _as("bob", bob.gated(get_profile).invoke, call).content
