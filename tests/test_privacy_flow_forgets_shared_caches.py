"""Erasing a thread leaves none of its values in the privacy flow's memory.

What must hold (docs/kernel.md "Erasing a thread": the deletion erases "then what the flows reading the journal in this
process hold of it"; `PrivacyFlow.forget`: "Drop what this flow holds for a thread"): once
`Agent.delete_thread` returns, no text the deleted thread's tools returned is held by the flow.

Before: `forget` dropped the per-thread maps, but the flow's caches shared between threads kept the
thread's results in clear: `_memo` (a result's observation, keyed and shown by the result's own text,
private values and all), and likewise `_records` (keyed by a record's key value) and `_clean` (a handle's
value's ends). The values a user asked to erase stayed in a long-lived process's memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

SSN = "078-05-1120"
ADDRESS = "12 Quist Lane"


def _texts(root: Any) -> list[str]:
    """Every text reachable from `root` through containers and the flow's own objects."""
    seen: set[int] = set()
    stack, found = [root], []
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found.append(obj)
        elif isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif type(obj).__module__.startswith(("guards", "vfa._labels")) and not isinstance(obj, type):
            if hasattr(obj, "__dict__") and not isinstance(obj, EffectJournal):
                stack.append(vars(obj))
            for slot in getattr(type(obj), "__slots__", ()):
                stack.append(getattr(obj, slot, None))
    return found


def test_the_flow_holds_nothing_of_a_deleted_thread(tmp_path: Path) -> None:
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile", handle=False)
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ada", "ssn": SSN, "home": ADDRESS}

    with EffectJournal(tmp_path / "journal.db") as journal:
        flow = PrivacyFlow(PrivacyPolicy.of("ada@example.com"), journal=journal)
        agent = Agent(ScriptedModel([("get_profile", {}), "ok"]), [get_profile], guards=[flow.guard()],
                      journal=journal, flow=flow)
        agent.compile().invoke({"messages": [("user", "who am I")]}, {"configurable": {"thread_id": "t"}})
        assert any(SSN in t for t in _texts(flow))  # the walk does reach what the flow keeps

        agent.delete_thread("t")

        held = [t for t in _texts(flow) if SSN in t or ADDRESS in t]
        assert held == [], held
