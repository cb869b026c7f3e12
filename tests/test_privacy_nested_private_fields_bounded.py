"""A private field nested in itself is labelled in time linear in the result.

A result whose private field holds a record that holds the same field again, level after level (a
document's sections, a thread of replies, a JSON API's tree), is a plain input: docs/privacy.md
"Bounded work" promises labelling linear in what it reads, inline and with no deadline. Each level's
`_Walk.under` tracked every string of the whole record below it (`_all_strings`), so a string at depth
d was tracked d times: 240 levels of 60 words (a 200 KB result) held the tool node for ~18 s, 200
levels of 40 words ~9 s, 100 levels ~0.8 s (worse than quadratic).

What must hold: such a result is labelled within the bound, and each of its words is still tracked
with every private field around it (a word of the deepest level mailed to someone else is denied).
Each case runs in a child process killed at the bound.

Fixed: a private field's strings are tracked once, by the outermost private field around them (_Walk.under,
_labelled_strings).
"""

from __future__ import annotations

from typing import Any

from _in_child import in_child
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

BOUND_S = 5.0
DEPTH, WIDTH = 240, 60


def _nested(depth: int, width: int) -> dict[str, Any]:
    """`depth` records, each holding the next under "data" and `width` words of its own."""
    r: dict[str, Any] = {"leaf": "deepest"}
    for i in range(depth):
        r = {"data": r, "words": [f"w{i}x{j}" for j in range(width)]}
    return {"data": r}


@privacy_source(private=["data"], kind="doc")
def read_doc() -> dict:
    """A private document of nested sections."""
    return _nested(DEPTH, WIDTH)


@privacy_sink(disclose={"body": "to"}, authority=["to"])
@effect
def send(to: str, body: str) -> str:
    """Send a message."""
    return "sent"


def _run(conn: Any, body: str) -> None:
    steps = [("read_doc", {}), ("send", {"to": "bob@x.example", "body": body})]

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return steps[turn] if turn < len(steps) else "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"bounded-nesting")
    app = Agent(ScriptedModel(rule=rule), [read_doc, send], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Read my document, then write to bob@x.example.")]},
                     {"configurable": {"thread_id": "t"}})
    conn.send({m.name: m.artifact["vfa"]["outcome"] for m in out["messages"] if isinstance(m, ToolMessage)})


def test_a_private_field_nested_in_itself_is_labelled_in_bounded_time() -> None:
    finished, outcomes, took = in_child(_run, "Hello Bob, see you soon.", bound_s=BOUND_S)
    assert finished, f"labelling {DEPTH} nested private records did not end in {took:.0f} s"
    assert outcomes == {"read_doc": "ran", "send": "committed"}


def test_the_deepest_words_are_still_tracked() -> None:
    finished, outcomes, took = in_child(_run, "Hello Bob, the code is w0x17.", bound_s=BOUND_S)
    assert finished, f"labelling {DEPTH} nested private records did not end in {took:.0f} s"
    assert outcomes == {"read_doc": "ran", "send": "denied"}
