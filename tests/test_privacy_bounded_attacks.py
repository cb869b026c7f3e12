"""Red team 66: an attacker's mail and a compromised model's call (within the 64 KiB argument limit)
that held one privacy check inline for 9-90 s; each is checked (allowed, denied or asked about) within
five seconds.

- `long_value`: one mail of 800,000 letters "a" is tracked as one long value, and four items of 100
  "a" were each compared with pieces of it at every place (each copy hundreds of KB, counted as one
  test): ~9 s. A long value is now compared only where a text can hold its piece, counted by length.
- `every_three_joins`: 200 one-word mails (500 "a" and a distinct ending), and 16 items of ~4 KB whose
  ends pass the bound on cut tests: every three items in every order were joined into one ~40 MB
  text and searched for each value: ~10 s. Joins now hold at most `_JOINED` characters, and searches
  stay within the search budget (fail closed past either).
- `approval_joins` (a person is asked): 1,000 such mails and six items of ~10 KB: each of 120 joins
  was searched for every value to work out what an approval covers: ~13 s (~90 s with 16 items).
  `values_in` now reads at most `_JOINED_NAMED` characters of joins (no approval covers more).
- `cut_budget_spent_again` (a person is asked): one mail of 300 letter-digit tokens of 503 digits,
  and 16 items of ~4,000 digits: one check reached the bound on cut tests four times (~2.4 s each).
  One index now cuts the same texts once.
"""

from __future__ import annotations

import itertools
import multiprocessing
import time
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

BOUND_S = 5.0
_ENDS = ["".join(p) for p in itertools.product("bcdfghjkmnpqrstvwxyz", repeat=3)]


def _mails(bodies: list[str]) -> list[dict[str, Any]]:
    return [{"id": i, "from": "mallory@evil.example", "subject": "news", "body": b} for i, b in enumerate(bodies)]


CASES = {  # mails, the published items, whether a person is asked
    "long_value": (_mails(["a" * 800_000]), ["a" * 100] * 4, False),
    "every_three_joins": (_mails(["a" * 500 + e for e in _ENDS[:200]]),
                          [_ENDS[-1 - i] + "a" * 3989 for i in range(16)], False),
    "approval_joins": (_mails(["a" * 500 + e for e in _ENDS[:1000]]),
                       [_ENDS[-1 - i] + "a" * 10656 for i in range(6)], True),
    "cut_budget_spent_again": (_mails([" and ".join("q" + "1" * 500 + "%03d" % i for i in range(300))]),
                               ["%03d" % i + "1" * 3989 for i in range(16)], True),
}


def _scenario(conn: Any, mails: list[dict[str, Any]], items: list[str], ask: bool) -> None:
    @privacy_sink()
    @privacy_source(private=["subject", "body"], untrusted=["from", "subject", "body"], handle=False,
                    kind="email", key="id")
    def read_inbox() -> list:
        """Every email in the inbox."""
        return mails

    @privacy_sink(disclose={"items": "*"})
    @privacy_source()
    @effect
    def publish(items: list[str]) -> str:
        """Publish a list of items."""
        return "ok"

    steps = [("read_inbox", {}), ("publish", {"items": items})]

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        conn.send(turn)
        return steps[turn] if turn < len(steps) else "done"

    policy = PrivacyPolicy.of("me@home.example", on_violation="ask" if ask else "deny")
    flow = PrivacyFlow(policy, secret=b"rt66")
    app = Agent(ScriptedModel(rule=rule), [read_inbox, publish], guards=[flow.guard()], flow=flow).compile(
        checkpointer=InMemorySaver() if ask else None)
    out = app.invoke({"messages": [HumanMessage("Read my mail, then publish the list.")]},
                     {"configurable": {"thread_id": "t"}})
    conn.send("asked" if out.get("__interrupt__") else "end")


@pytest.mark.parametrize("case", list(CASES))
def test_one_hostile_call_is_checked_in_bounded_time(case: str) -> None:
    ctx = multiprocessing.get_context("fork")  # killed at the bound: a check that runs on stops nothing else
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_scenario, args=(child, *CASES[case]), daemon=True)
    proc.start()
    try:
        assert parent.poll(30) and parent.recv() == 0
        assert parent.poll(30) and parent.recv() == 1  # the mail was read; the publish call is proposed
        t0 = time.perf_counter()
        finished = parent.poll(BOUND_S)  # checked, and the model told (or the person asked)
        took = time.perf_counter() - t0
        assert finished and parent.recv() in ("asked", 2), f"checking one publish call held the guard node {took:.1f} s"
    finally:
        proc.kill()
        proc.join()
