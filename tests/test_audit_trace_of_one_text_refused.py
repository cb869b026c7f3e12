"""`trace_from_messages` given one text (not a list of messages) reads each letter as a message
of the user's.

`trace_from_messages("pay bob")` returns seven user events, "p", "a", "y", ...; `trace_from_journal(journal,
thread, user_messages="pay bob")` likewise. An audit over such a trace reads single letters as the user's words
(what grounds authority arguments) and reports on a conversation that never was. docs/privacy.md "Audit": a trace the
audit cannot read raises `TraceError` naming the fault; a text where messages belong is one.

Fixed: both raise `TraceError`.
"""

from __future__ import annotations

import pytest

from guards import TraceError, trace_from_journal, trace_from_messages
from vfa import EffectJournal


def test_one_text_is_no_list_of_messages():
    with pytest.raises((TraceError, TypeError)):
        trace_from_messages("pay bob")


def test_one_text_is_no_list_of_user_messages():
    with pytest.raises((TraceError, TypeError)):
        trace_from_journal(EffectJournal(), "t", user_messages="pay bob")


def test_a_list_of_messages_still_reads():
    assert trace_from_messages([("user", "pay bob")]) == [{"type": "user", "content": "pay bob"}]
