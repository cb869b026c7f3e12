"""A long list beside a long private text is checked in bounded time.

A compromised model publishes ~13,000 short distinct words (within the node's 64 KiB limit) on a
thread that read a private document of a few hundred KB. Whether a run of six words of a private text
can lie across two of the list's items is decided from the pairs of words side by side in the private
texts (`_Index.follows`), looked up per join, never by searching every private text for every join.
"""

from __future__ import annotations

import itertools
import random
import string
import threading
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

BOUND_S = 5.0

_rnd = random.Random(1)
DOC = " ".join(_rnd.choice(["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"]) for _ in range(80_000))
"""A private document of ~440 KB (a long report the user keeps)."""

_ALNUM = string.ascii_lowercase + string.digits
_WORDS = ["".join(p) for p in itertools.product(_ALNUM, _ALNUM)]
_pick = random.Random(2)
ITEMS = [_pick.choice(_WORDS) for _ in range(12_500)]
"""Short words whose neighbours make distinct pairs: '"ab",' is 5 bytes, so ~62 KB of JSON."""


@privacy_sink()
@privacy_source(private=["content"], handle=False, kind="doc")
def read_doc() -> dict:
    """The user's private document."""
    return {"content": DOC}


@privacy_sink(disclose={"items": "*"})
@privacy_source()
@effect
def publish(items: list[str]) -> str:
    """Publish a list of tags."""
    return "ok"


def test_many_short_items_beside_a_long_private_text_are_checked_in_bounded_time() -> None:
    steps = [("read_doc", {}), ("publish", {"items": ITEMS})]  # within the 64 KiB argument limit
    marks: dict[int, float] = {}
    done = threading.Event()

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        marks[turn] = time.perf_counter()
        if turn == 2:
            done.set()
        return steps[turn] if turn < len(steps) else "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt64")
    app = Agent(ScriptedModel(rule=rule), [read_doc, publish], guards=[flow.guard()], flow=flow).compile()
    worker = threading.Thread(target=lambda: app.invoke(
        {"messages": [HumanMessage("Publish some tags.")]}, {"configurable": {"thread_id": "t"}}), daemon=True)
    worker.start()
    deadline = time.perf_counter() + 30
    while 1 not in marks and time.perf_counter() < deadline:  # the document was read
        time.sleep(0.01)
    assert 1 in marks
    finished = done.wait(BOUND_S)
    took = (marks[2] if finished else time.perf_counter()) - marks[1]
    assert finished and took < BOUND_S, f"checking one publish call held the guard node {took:.1f} s"
