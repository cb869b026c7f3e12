"""Red team 134: a tool result nested just below the encoder's depth limit crashes the guard node.

Guarantee: fail closed with a clear outcome, never a crash on hostile input; README: a value that cannot be
written at all ("a cycle, too deep") is recorded whole as its repr (`recorded`), and the node shows and
labels the result as recorded.

How it breaks: `recorded` (vfa/_journal.py) now writes a plain-JSON container and hands on
`json.loads(text)` of it, but the read back is outside the `try` that guards the write. The decoder goes
through more Python frames than the encoder, so a result nested at the one or two depths where
`json.dumps` still succeeds and `json.loads` no longer does raises `RecursionError` out of `recorded`: out
of the guard node for a read-only tool (the whole graph run fails, again on every resume), and after an
effect ran, before its result is journaled. A tool that returns parsed JSON an attacker shapes (a fetched
page, an API's reply) picks the depth.

Fixed: the read-back is inside the `try`: such a value gets the placeholder of one nested too deep.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage

from guards import PrivacyFlow, privacy_sink, privacy_source
from guards._privacy_decl import PrivacyPolicy
from vfa import Agent, EffectJournal
from vfa._journal import recorded
from vfa.testing import ScriptedModel


def _nested(depth: int) -> list:
    value: list | str = "x"
    for _ in range(depth):
        value = [value]
    return value  # type: ignore[return-value]


def test_recorded_never_raises_on_a_deep_result() -> None:
    for depth in range(700, 1100):
        recorded(_nested(depth))  # a value, a placeholder or a repr: never an exception


def test_a_deep_result_of_a_read_only_tool_never_crashes_the_run() -> None:
    depth = [0]

    @privacy_sink()
    @privacy_source()
    def fetch() -> list:
        """Fetch a page's data."""
        return _nested(depth[0])

    def rule(messages):
        return ("fetch", {}) if not any(isinstance(m, AIMessage) for m in messages) else "done"

    crashed = []
    for depth[0] in range(930, 1000):
        journal = EffectJournal()
        flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt134", journal=journal)
        app = Agent(ScriptedModel(rule=rule), [fetch], guards=[flow.guard()], flow=flow, journal=journal).compile()
        try:
            app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
        except RecursionError:
            crashed.append(depth[0])
    assert crashed == []
