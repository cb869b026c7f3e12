"""The messages' audit does not find the echoed draft the live guard denies (default mode): a stated limit.

The model reads the user's note in clear, saves a draft to Eve whose body is the note as written, and sends the
draft's body (its handle) to Eve. Live, `PrivacyFlow._echo` labels the draft body's handle with the note's readers,
so the send is denied, and the journal's audit agrees. The conversation holds the draft's result as handles only,
so `audit_trace(trace_from_messages(...))` labels the body's handle as its field (Eve's) and reports the run
clean, though the conversation holds everything needed: the `save_draft` call's arguments, the note in clear.
The docs/privacy.md's limit for the messages' audit names a value cut across calls out of values behind handles and a
guess written in clear of a value shown only as a handle, neither of which this is (the note was shown in clear).

What must hold: the messages' audit reports what the live guard denied. A stated limit (docs/privacy.md, the messages'
audit: "one it wrote in clear that a tool echoed back behind a handle of wider readers ... is found by the
journal's audit alone"), kept as a strict xfail; the journal's audit agrees with live
(`tests/test_privacy_echo_behind_a_handle.py`).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage

from _audit_trace import audit_messages, found, journaled_run, live_denials
from guards import PrivacyFlow, PrivacyPolicy
from test_privacy_echo_behind_a_handle import EVE, ME, NOTE, _tools


LIMIT = pytest.mark.xfail(strict=True, reason="stated limit: the messages' audit reads the echoed draft's handle by "
                          "its field's label; the journal's audit finds it")


@LIMIT
@pytest.mark.parametrize("sent_as", ["{}", "Here it is: {}"], ids=["handle-alone", "handle-among-words"])
def test_the_messages_audit_finds_the_echoed_note(sent_as: str) -> None:
    def rule(ms: list[Any]) -> Any:
        done = [m for m in ms if isinstance(m, ToolMessage)]
        if not done:
            return AIMessage("", tool_calls=[{"name": "read_note", "id": "c0", "args": {"path": "n"}}])
        if len(done) == 1:
            return AIMessage("", tool_calls=[{"name": "save_draft", "id": "c1", "args": {"to": EVE, "body": NOTE}}])
        if len(done) == 2:
            handle = re.findall(r"«[^»]+»", str(done[-1].content))[-1]
            return AIMessage("", tool_calls=[{"name": "send", "id": "c2", "args": {"to": EVE, "body": sent_as.format(handle)}}])
        return AIMessage("done")

    sent: list[Any] = []
    messages, journal = journaled_run(rule, _tools(sent), PrivacyPolicy.of(ME), "go")
    assert sent == [] and live_denials(journal) == [("c2", "confidentiality", "body")]
    audit = audit_messages(messages, _tools([]), PrivacyFlow(PrivacyPolicy.of(ME), secret=b"s"))
    assert found(audit) == live_denials(journal), "the messages' audit cleared the send the live guard denied"
