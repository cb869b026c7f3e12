"""A call refused before the size check journaled its oversized arguments whole.

README: "invalid arguments, unknown tools and oversized payloads (over `max_arg_bytes` as JSON, 64 KiB by
default ...) are denials". A call over the limit to a known tool is journaled as "<N bytes>". But the
node refuses three kinds of call before it measures the arguments: an unknown tool, a call id over 256
characters, and an id reused for another call. `GuardNode._refuse` journaled their arguments as written,
however large, so one hallucinated (or injected) call of a misspelt tool with megabytes of arguments
put megabytes into the journal (a SQLite file kept for good), once per call.

What must hold: a call refused for any reason journals no more than `max_arg_bytes` of its arguments;
the call is still denied and nothing runs; a refused call within the limit keeps its arguments as
written (an audit reads them).

Fixed: `_journaled_args` (`vfa/_guard_node.py`) records arguments over `max_arg_bytes` by their size in
`_refuse` and `record_denial`; the fingerprint is still taken from the whole arguments.
"""

from __future__ import annotations

from typing import Any

import pytest

from vfa import GuardNode, effect

LIMIT = 1024
BIG = {"to": "bob", "body": "x" * 200_000}


def _node(sent: list[Any]) -> GuardNode:
    @effect
    def send(to: str, body: str) -> str:
        """Send a message."""
        sent.append(body)
        return "sent"

    return GuardNode([send], max_arg_bytes=LIMIT)


def _journaled(node: GuardNode, thread: str) -> int:
    return sum(len(e[6]) for e in node.journal.entries(thread))


@pytest.mark.parametrize("case", ["unknown tool", "over-long id", "reused id", "known tool (control)"])
def test_an_oversized_call_refused_for_any_reason_is_not_journaled_whole(case: str) -> None:
    sent: list[Any] = []
    node = _node(sent)
    if case == "reused id":  # the id first used for a small call, then for another, oversized one
        node.handle({"name": "send", "args": {"to": "bob", "body": "hi"}, "id": "c1"}, {}, "t")
        sent.clear()
    call = {"name": "sned" if case == "unknown tool" else "send", "args": BIG,
            "id": "c" * 300 if case == "over-long id" else "c1"}
    msg = node.handle(call, {}, "t")
    assert msg.status == "error" and sent == []
    assert _journaled(node, "t") < 4 * LIMIT, f"{case}: {_journaled(node, 't')} bytes journaled"


def test_a_small_refused_call_keeps_its_arguments() -> None:
    node = _node([])
    node.handle({"name": "sned", "args": {"to": "bob", "body": "hi"}, "id": "c1"}, {}, "t")
    proposed = next(e for e in node.journal.entries("t") if e.kind == "proposed")
    assert proposed.data["args"] == {"to": "bob", "body": "hi"}
