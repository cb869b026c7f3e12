"""Red team 66: after `TooManyCuts`, the joined search of every three texts takes many seconds (deny policy).

An attacker sends 200 mails (private, untrusted bodies), each one word: 500 letters "a" and a
distinct three-letter ending; each is a tracked value. A compromised model publishes 16 items of
~4 KB (within the 64 KiB limit) that start with three letters and end with letters "a". Looking the
items' ends up among the values' cuts passes `VISITS` (`TooManyCuts`), so `_orders` joins every three
of the 16 items in every order (3,360 joins). `content_label` then writes all joins into one ~40 MB
string and tests each tracked value against it (`_Index.tracked_in`: with at most 256 values each is
a plain substring test, with no budget; `_SEARCH_BUDGET` applies only past 256). The check holds the
guard node ~9.6 s (7 s of it that search), and the call is then allowed.
"""

from __future__ import annotations

import itertools
import multiprocessing
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

BOUND_S = 5.0
_ENDS = ["".join(p) for p in itertools.product("bcdfghjkmnpqrstvwxyz", repeat=3)]
MAILS = [{"id": i, "from": "mallory@evil.example", "subject": "news", "body": "a" * 500 + _ENDS[i]}
         for i in range(200)]
"""The attacker's 200 mails (about 100 KB in all)."""
ITEMS = [_ENDS[-1 - i] + "a" * 3989 for i in range(16)]
"""16 items of 3,992 letters: about 64,000 bytes of JSON."""


@privacy_sink()
@privacy_source(private=["subject", "body"], untrusted=["from", "subject", "body"], handle=False,
                kind="email", key="id")
def read_inbox() -> list:
    """Every email in the inbox."""
    return MAILS


@privacy_sink(disclose={"items": "*"})
@privacy_source()
@effect
def publish(items: list[str]) -> str:
    """Publish a list of items."""
    return "ok"


def _scenario(conn: Any) -> None:
    steps = [("read_inbox", {}), ("publish", {"items": ITEMS})]

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        conn.send(turn)
        return steps[turn] if turn < len(steps) else "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt66")
    app = Agent(ScriptedModel(rule=rule), [read_inbox, publish], guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage("Read my mail, then publish the list.")]},
               {"configurable": {"thread_id": "t"}})
    conn.send("end")


def test_every_three_joins_of_sixteen_items_are_searched_in_bounded_time() -> None:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_scenario, args=(child,), daemon=True)
    proc.start()
    try:
        assert parent.poll(30) and parent.recv() == 0
        assert parent.poll(30) and parent.recv() == 1  # the mails were read; the publish call is proposed
        t0 = time.perf_counter()
        finished = parent.poll(BOUND_S)
        took = time.perf_counter() - t0
        assert finished and parent.recv() == 2, f"checking one publish call held the guard node over {took:.1f} s"
    finally:
        proc.kill()
        proc.join()
