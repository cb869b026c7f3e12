"""Red team 121: an allow whose evidence JSON cannot hold crashes the run instead of being journaled by its repr.

docs/kernel.md ("What you get"): "A verdict whose evidence JSON cannot hold (an object, a set, numpy's ints, a
cycle) is journaled with that evidence written by its repr". The chain makes a denial, a repair or a
question storable (`_storable`), but left an `Allow` as the guard returned it: `Allow(evidence={"rule":
object()})`, a cycle, or bytes that are no UTF-8 raise out of the guard node when its decisions are
journaled (`_decision_data`: `PydanticSerializationError`, `ValueError: Circular reference detected`,
`UnicodeDecodeError`), so `app.invoke` fails with a serializer's error instead of the call going on.

Fixed: an allow's evidence goes through `_storable` too: what JSON cannot hold is written by its repr.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from vfa import Agent, Allow, EffectJournal, effect, guard
from vfa.testing import ScriptedModel


class Rule:
    """An app's rule object, which a guard cites as what its allowance rests on."""


def _cycle() -> dict[str, Any]:
    c: dict[str, Any] = {}
    c["self"] = c
    return c


@pytest.mark.parametrize("evidence", [{"rule": Rule()}, {"cycle": _cycle()}, {"raw": b"\xff\xfe"}],
                         ids=["object", "cycle", "bytes"])
def test_an_allow_with_evidence_json_cannot_hold_is_journaled_by_its_repr(evidence: dict[str, Any]) -> None:
    sent: list[str] = []

    @effect
    def notify(text: str) -> str:
        """Notify the user."""
        sent.append(text)
        return "ok"

    @guard
    def cited(p, c):
        return Allow(evidence=evidence)

    journal = EffectJournal()
    app = Agent(ScriptedModel([("notify", {"text": "hello"}), "done"]), [notify], guards=[cited],
                journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("notify me")]}, {"configurable": {"thread_id": "t"}})
    assert sent == ["hello"], out["messages"]
    verdicts = [e for e in journal.entries("t") if e.kind == "verdicts"]
    assert verdicts and verdicts[0].data["decisions"][0]["verdict"]["kind"] == "allow", verdicts
