"""Replicas serving one thread in turn each read the whole thread from the journal at every turn.

A flow that finds another replica (another process on the journal file, or another flow on the same
journal object, `add_reader`) wrote on a thread since its last read reads the thread again
(`_Threads._rebuild(whole=True)` -> `_restore`): every entry the thread holds, each proposal's
arguments decoded, every call that began disclosed again, though it read all but the other replica's
last turn before. Two replicas taking turns on one conversation (requests balanced between two
workers) so read the whole thread at every turn: a turn's reads grow with the thread, a thread's
with its square (200 turns: 2.5 s of 16 s in `_restore`; about 14 rows per earlier turn, against
none with one replica).

What must hold: a replica taking its turn reads what it has not read (the other's last turn), not the
thread's whole past. Measured by the journal rows handed out during the last turn of threads of n and
4n turns served in turn by two flows on one journal (a real SQLite journal counting what `entries`
returns; the same process, no clock): flat gives about 1x, the whole re-read about 4x.

Fixed: not yet: a stated limit in docs/privacy.md (strict xfail).
"""

from __future__ import annotations

import pytest
from _counting import CountingJournal
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"



@privacy_source(private=["ssn"], kind="client")
def read_client(i: int) -> dict:
    """One client's record."""
    return {"name": f"Client {i}", "ssn": f"{100000000 + i * 7919}"}


@privacy_sink(disclose={"body": "to"}, authority=["to"])
@privacy_source()
@effect
def send_email(to: list[str], body: str) -> str:
    """Send an email."""
    return "sent"


def _rule(messages):
    last = messages[-1]
    if isinstance(last, HumanMessage):
        return ("read_client", {"i": sum(isinstance(m, HumanMessage) for m in messages)})
    if last.type == "tool" and last.name == "read_client":
        return ("send_email", {"to": [ME], "body": f"status {len(messages)}"})
    return "done"


def _rows_read_by_last_turn(turns: int) -> int:
    journal, saver = CountingJournal(), InMemorySaver()
    replicas = []
    for _ in range(2):  # two flows on one journal: each counts the other's writes (`add_reader`)
        flow = PrivacyFlow(PrivacyPolicy.of(ME), journal=journal, secret=b"one secret for both")
        replicas.append(Agent(ScriptedModel(rule=_rule), [read_client, send_email], guards=[flow.guard()],
                              flow=flow, journal=journal).compile(checkpointer=saver))
    cfg = {"configurable": {"thread_id": "t"}}
    for k in range(turns):
        journal.rows = 0
        out = replicas[k % 2].invoke({"messages": [HumanMessage(f"turn {k}: mail me the status")]}, cfg)
        assert out["messages"][-2].content == "sent"  # the mail ran, then the model answered
    return journal.rows


@pytest.mark.xfail(strict=True, reason="a stated limit (docs/privacy.md, Performance): a replica that finds another's writes "
                   "reads the thread again whole; an incremental read must also re-read the earlier calls that end later")
def test_a_replica_taking_its_turn_reads_only_what_it_has_not_read():
    n = 10
    short, long = _rows_read_by_last_turn(n), _rows_read_by_last_turn(4 * n)
    assert short > 0  # the other replica's last turn is read
    assert long < 2 * short, f"last of {n} turns read {short} rows, last of {4 * n} turns {long} ({long / short:.1f}x)"
