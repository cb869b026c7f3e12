"""A denial replayed by a flow that never labelled the thread shows the call's own words.

The docs/privacy.md ("Denials"): every handle and every word of the call's own arguments is withheld from a denial
the model reads ("a guard judging values writes a right guess as its handle and a wrong one as written, and
only so do both read alike"), and `PrivacyFlow.observe_denial` keeps the text for the call: "a replay shows
the same text". Replicas sharing one journal may serve one thread in turn ("Restarts, replicas and threads").

Attack: a turn holds a call a value-judging guard denies, quoting the model's argument, beside a call a
person is asked about. The person answers on another replica (or after a restart). That replica's guard
node replays the denied call from the journal (`GuardNode._replayed` builds the proposal with `args={}`)
before anything labels the thread, so `observe_denial` finds no cached text and withholds no word of the
call's arguments: the model now reads its guess as written, where a right guess (journaled as its handle)
still reads "‹withheld›". The guess oracle the withholding closes is open again on every resume elsewhere.

Expected: the replayed denial reads as it did (the guess withheld). Root cause: `_replayed`/`denial` pass
an empty proposal to `observe_denial`, whose cache is per flow (`_obs`).

Fixed: `GuardNode._replayed` gives a replayed denial the call as it was journaled (proposed or edited),
so the flow withholds its words from the reason as on the first run, on any replica.
"""

from __future__ import annotations

from typing import Any

from _turns import by_turn
from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, Deny, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel

USER = "me@home.example"


@privacy_sink(internal=["guess"])
@privacy_source(private=[""], kind="nickname")
def check(guess: str) -> str:
    """Check a guess of the owner's nickname."""
    return "ok"


@privacy_sink(disclose={"body": "to"})
@privacy_source()
@effect
def send(to: list[str], body: str) -> str:
    """Send a message."""
    return "sent"


@guard(inline=True)
def judge(p: Any, c: Any) -> Any:
    if p.tool == "check":  # a guard judging values, quoting the argument it judged
        return Deny(reason=f"{p.args['guess']} is not the owner's nickname")
    return Escalate(question="send it?")


def _app(journal: EffectJournal, saver: InMemorySaver) -> Any:
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s", journal=journal)
    turn = [("check", {"guess": "Bobbie"}, "c1"), ("send", {"to": [USER], "body": "hi"}, "c2")]
    return Agent(ScriptedModel(rule=by_turn(turn)), [check, send], guards=[judge, flow.guard()], flow=flow,
                 journal=journal).compile(checkpointer=saver)


def _check_text(out: dict[str, Any]) -> str:
    return next(str(m.content) for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "check")


def test_a_denial_replayed_on_another_replica_withholds_the_calls_words() -> None:
    cfg = {"configurable": {"thread_id": "t"}}
    texts = []
    for other_replica in (False, True):
        journal, saver = EffectJournal(), InMemorySaver()
        first = _app(journal, saver)
        out = first.invoke({"messages": [HumanMessage("go")]}, cfg)
        question = out["__interrupt__"][0]
        app = _app(journal, saver) if other_replica else first  # the person's answer reaches another replica
        out = app.invoke(Command(resume={question.id: {"type": "approve"}}), cfg)
        texts.append(_check_text(out))
    same_replica, other = texts
    assert "Bobbie" not in same_replica
    assert "Bobbie" not in other, f"the replayed denial shows the model's guess: {other!r}"
    assert other == same_replica
