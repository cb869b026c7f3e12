"""A readers field holding records nested in themselves is read in time linear in the result.

docs/privacy.md "Bounded work": labelling runs inline, with no deadline, so what it reads costs time linear
in its length. A record's readers field (`readers_from`) may hold records (contacts, a group with its
members); the walk reads each record's readers (`_Results._record_of`: `readers_in` and `senders_told`, each
reading every text of the field, `_strings_of`), and the records inside the field are records again, each
reading every text below it. A field nested 200 levels deep with 40 addresses a level (8,000 addresses,
~150 KB) held the tool node for ~7 s, 150 levels ~3.4 s, 100 levels ~1.3 s (quadratic in the depth; a result's
shape is its author's). 

A stated limit (docs/privacy.md, "Bounded work"), strict xfail: a readers field holding records nested in themselves costs time quadratic in its depth.

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
DEPTH, WIDTH = 200, 60


def _nested(depth: int, width: int) -> list[dict[str, Any]]:
    """Documents whose readers field holds a group: its members and, inside it, the next document."""
    r: dict[str, Any] = {"id": "leaf", "secret": "s"}
    for i in range(depth):
        r = {"id": f"n{i}", "shared_with": {"more": r, "who": [f"p{j}@x.example" for j in range(width)]}}
    return [r]


@privacy_source(private=["secret"], readers_from=["shared_with"], kind="doc", key="id")
def read_docs() -> list:
    """Documents and whom each is shared with."""
    return _nested(DEPTH, WIDTH)


def _run(conn: Any) -> None:
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"bounded-nesting")
    app = Agent(ScriptedModel([("read_docs", {})]), [read_docs], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Read my documents.")]}, {"configurable": {"thread_id": "t"}})
    shown = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    conn.send((shown.artifact["vfa"]["outcome"], shown.content[:40]))


@pytest.mark.xfail(strict=True, reason="stated limit: a readers field holding records nested in themselves is read in time quadratic in its depth")
def test_a_readers_field_nested_in_itself_is_read_in_bounded_time() -> None:
    finished, outcome, took = in_child(_run, bound_s=BOUND_S)
    assert finished, f"labelling {DEPTH} nested readers fields did not end in {took:.0f} s"
    assert outcome is not None and outcome[0] == "ran"
    assert not outcome[1].startswith("the result"), outcome[1]  # labelled and shown, no placeholder
