"""An attacker's long e-mail does not hold up an honest call.

The inbox's bodies are private and untrusted, so an attacker's mail becomes one of the thread's
private texts. A call that discloses four texts or more to one audience (a note to two people:
subject, body and both addresses) looks for runs of six words cut across them (`runs_across`): from
the words side by side at each join, not from an index of every cut of every run (five entries a
word, which a 1 MB mail of one-letter words made cost over ten seconds, inline, with no deadline).
"""

from __future__ import annotations

import multiprocessing
import random
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage

from benchmarks.privacy.world import BOB, CAROL, POLICY, World
from guards import PrivacyFlow
from vfa import Agent
from vfa.testing import ScriptedModel

BOUND_S = 5.0

_rnd = random.Random(1)
MAIL = " ".join(_rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(500_000))
"""The attacker's mail: 1 MB of one-letter words (every six-word run distinct)."""


def _scenario(conn: Any) -> None:
    """Runs in a forked child: an honest agent reads the inbox, then mails two people; reports when
    the inbox was read and when the note was answered."""
    world = World(MAIL)
    flow = PrivacyFlow(POLICY, secret=b"rt64")
    steps = [("read_inbox", {}),
             ("send_email", {"to": [BOB, CAROL], "subject": "Inbox", "body": "You have new mail."})]

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        conn.send(turn)
        return steps[turn] if turn < len(steps) else "done"

    app = Agent(ScriptedModel(rule=rule), world.tools(), guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage(f"Check my inbox and tell {BOB} and {CAROL} whether I have new mail.")]},
               {"configurable": {"thread_id": "t"}})
    conn.send(("sent", world.sent))


def test_a_long_mail_does_not_hold_the_check_of_an_honest_note() -> None:
    ctx = multiprocessing.get_context("fork")  # the child has every module loaded already
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_scenario, args=(child,), daemon=True)
    proc.start()
    try:
        assert parent.poll(30) and parent.recv() == 0  # the model's first turn
        assert parent.poll(30) and parent.recv() == 1  # the inbox was read
        t0 = time.perf_counter()
        finished = parent.poll(BOUND_S)  # the note was checked and answered
        took = time.perf_counter() - t0
        assert finished and parent.recv() == 2, f"checking one honest note held the guard node over {took:.1f} s"
    finally:
        proc.kill()
        proc.join()
