"""A record whose key field holds the next record, level after level, is labelled in time linear in the
result.

docs/privacy.md "Bounded work": labelling runs inline, with no deadline, so what it reads costs time linear
in its length. The walk writes a keyed record's key as text (`str(node[key])`, in `_Results._record_of`,
`_record_label`'s `kind:key` source and the observation's keys), and a key field holding a record holds
every level below it: 200 levels of 400 words held the tool node ~3 s, 280 levels ~7 s (quadratic in the
depth, and each level's label carries a source as long as the text below it). A result's shape is its
author's.

A stated limit (docs/privacy.md, "Bounded work"), strict xfail: a record whose key field holds the next record costs time quadratic in its depth.

Runs in a child process killed at the bound.
"""

from __future__ import annotations

import pytest

from typing import Any

from _in_child import in_child
from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

BOUND_S = 5.0
DEPTH, WIDTH = 280, 600


def _nested(depth: int, width: int) -> list[dict[str, Any]]:
    """Records keyed by "id", each one's key the record below it."""
    r: dict[str, Any] = {"id": "leaf", "secret": "s"}
    for i in range(depth):
        r = {"id": r, "secret": f"sec{i}", "words": [f"w{i}x{j}" for j in range(width)]}
    return [r]


@privacy_source(private=["secret"], kind="doc", key="id")
def read_docs() -> list:
    """Documents keyed by id."""
    return _nested(DEPTH, WIDTH)


def _run(conn: Any) -> None:
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"bounded-nesting")
    app = Agent(ScriptedModel([("read_docs", {})]), [read_docs], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Read my documents.")]}, {"configurable": {"thread_id": "t"}})
    shown = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    conn.send((shown.artifact["vfa"]["outcome"], shown.content[:40]))


@pytest.mark.xfail(strict=True, reason="stated limit: a record whose key field holds the next record is read in time quadratic in its depth")
def test_a_key_nested_in_itself_is_read_in_bounded_time() -> None:
    finished, outcome, took = in_child(_run, bound_s=BOUND_S)
    assert finished, f"labelling {DEPTH} records nested in their keys did not end in {took:.0f} s"
    assert outcome is not None and outcome[0] == "ran"
    assert not outcome[1].startswith("the result"), outcome[1]  # labelled and shown, no placeholder
