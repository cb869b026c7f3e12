"""An answer that raises when read (its truth value, its repr) crashes the guard node and
leaves the thread unanswerable for good.

Attack (hostile or malformed `Command(resume=...)`): the privacy guard asks about a mail of the SSN to
bob; the client answers `{"type": numpy.array([1, 2])}` (a decision whose truth value raises), or a
decision or a tool name that is an int past Python's digit limit (whose repr raises). `decision_of`
reads the answer with `answer.get(k)` in a truth test and writes it with `{answer!r:.100}`, so the
guard node raises numpy's or Python's own `ValueError`, not a reject. The checkpointer (the demo's
SQLite one) has already saved the answer as the question's, so every later resume fails too: a good
answer under the question's id, or one sent without an id, is handed the saved one first and raises
the same error, and one under the id `AnswerError` names raises it as well. The person can never
answer; the thread stays paused until someone edits its state by hand.

Expected (docs/kernel.md, "People in the loop"; `decision_of`'s docstring: "anything unrecognised or
ambiguous rejects"): such an answer is a reject, journaled as one; nothing is sent, and the run goes
on with the model told the call was rejected.

Fixed: `decision_of` reads an answer that raises when read as a reject, with a message naming the
error's type only (the same each time the saved answer is replayed).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import numpy as np
import pytest
from _ssn_mail_question import ssn_mail_agent
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from vfa import EffectJournal
from vfa._escalation import decision_of

CFG = {"configurable": {"thread_id": "t"}}
HUGE = 10 ** 5000  # past the 4,300 digits Python writes an int in: its repr raises


def _agent(saver: Any) -> tuple[Any, list[Any], EffectJournal]:
    return ssn_mail_agent(saver)


@pytest.mark.parametrize("answer", [
    {"type": np.array([1, 2])},  # its truth value raises
    {"decision": np.array(["approve", "reject"])},
    {"type": HUGE},  # its repr raises
    HUGE,
    {"type": "edit", "edited_action": {"name": HUGE, "args": {}}},
], ids=["array-type", "array-decision", "huge-int-type", "huge-int", "huge-int-tool-name"])
def test_an_answer_that_raises_when_read_rejects(answer: Any) -> None:
    # the demo's checkpointer; its serialiser keeps what msgpack cannot (an int past 64 bits) by pickle
    saver = SqliteSaver(sqlite3.connect(":memory:", check_same_thread=False),
                        serde=JsonPlusSerializer(pickle_fallback=True))
    app, sent, journal = _agent(saver)
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    asked = out["__interrupt__"][0].id
    out = app.invoke(Command(resume={asked: answer}), CFG)  # raised numpy's or Python's ValueError
    assert sent == [] and not out.get("__interrupt__")
    assert [e.kind for e in journal.entries("t", call_id="c1")][-1] == "rejected"
    assert "rejected by a person" in out["messages"][-2].content


def test_reading_such_an_answer_is_a_reject() -> None:
    for answer in ({"type": np.array([1, 2])}, {"type": HUGE}, HUGE):
        assert decision_of(answer)["type"] == "reject"
