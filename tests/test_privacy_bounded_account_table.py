"""An attacker's mail holding a table of account numbers is labelled in time linear in its size.

`_tokens` finds the address or account span that holds each digit run and letter-digit token of a
private text by bisection, not by a scan of every span per token (quadratic: a ~200 KB table of
IBAN-like tokens held the guard node for seconds, inline, with no deadline).
"""

from __future__ import annotations

import multiprocessing
import random

from langchain_core.messages import HumanMessage

from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow
from vfa import Agent
from vfa.testing import ScriptedModel

LIMIT_S = 5.0


def _table(n: int) -> str:
    rng = random.Random(7)  # short IBAN-like tokens: country, check digits, two groups of four
    return "Accounts on file: " + " ".join(f"XX{rng.randrange(10**9, 10**10)}" for _ in range(n))


def test_a_mail_of_account_numbers_is_labelled_in_bounded_time() -> None:
    w = World()
    w.inbox[3]["body"] = _table(16000)  # about 208 KB: one newsletter-sized attacker mail
    flow = PrivacyFlow(POLICY, secret=b"rt63")
    steps = [("read_inbox", {})]

    def rule(messages):
        return steps.pop(0) if steps else "done"

    app = Agent(ScriptedModel(rule=rule), w.tools(), guards=[flow.guard()], flow=flow).compile()

    def go() -> None:
        app.invoke({"messages": [HumanMessage("Read my inbox and tell Alice yes to lunch.")]},
                   {"configurable": {"thread_id": "t"}})

    # run apart, so a stalled guard node is stopped at the limit instead of holding the test
    worker = multiprocessing.get_context("fork").Process(target=go, daemon=True)
    worker.start()
    worker.join(LIMIT_S)
    stalled = worker.is_alive()
    if stalled:
        worker.kill()
        worker.join()
    assert not stalled, f"labelling one {len(w.inbox[3]['body'])}-character mail took more than {LIMIT_S} s"
    assert worker.exitcode == 0
