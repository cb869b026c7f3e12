"""Erasing a thread leaves its private values in clear in the `re` module's cache of compiled patterns.

What must hold (docs/kernel.md "Erasing a thread": the deletion erases "then what the flows reading the journal in this
process hold of it"; `_Threads._scrub`: "a thread erased (`forget`) leaves none of its values in memory"): once
`Agent.delete_thread` returns, no pattern this process compiled from the deleted thread's values is kept.

Before: a guard that judges a call's values has what it says withheld (`HandleStore.withheld`), by a pattern
`HandleStore._telling` compiles from the thread's handles' values, each spelled out (`(?=(078\\-05\\-1120))`).
`re.compile` keeps the last 512 patterns it compiled (`re._cache`): `forget` dropped the store's own copy
(`_tellings`) but the SSN stayed in the process's memory, in clear, after the user asked to erase it.

Fixed: forgetting a thread empties re's cache of compiled patterns (re.purge).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from langchain_core.messages import AIMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Agent, Deny, EffectJournal, guard
from vfa.testing import ScriptedModel

SSN = "078-05-1120"


def _patterns_with(value: str) -> list[str]:
    """The patterns `re` keeps compiled that spell `value` (as written or escaped)."""
    return [k[1] for k in list(re._cache) if isinstance(k[1], str) and (value in k[1] or re.escape(value) in k[1])]


def test_no_compiled_pattern_spells_a_deleted_threads_value(tmp_path: Path) -> None:
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ada", "ssn": SSN}

    @privacy_sink(disclose={"body": "to"})
    def send(to: str, body: str) -> str:
        """Send a mail."""
        return "sent"

    @guard
    def short(p, c):
        body = str(p.args.get("body", ""))
        return ALLOW if p.tool != "send" or len(body) < 5 else Deny(reason=f"too long: {body}", evidence={"body": body})

    def rule(messages):  # sends the SSN by the handle the model holds for it
        turns = sum(1 for m in messages if m.type == "ai")
        if turns == 0:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if turns == 1:
            handle = json.loads(messages[-1].content)["ssn"]
            return AIMessage("", tool_calls=[{"name": "send", "args": {"to": "ada@example.com", "body": f"ssn {handle}"},
                                              "id": "c2"}])
        return AIMessage("ok")

    with EffectJournal(tmp_path / "journal.db") as journal:
        flow = PrivacyFlow(PrivacyPolicy.of("ada@example.com"), journal=journal)
        agent = Agent(ScriptedModel(rule=rule), [get_profile, send], guards=[short, flow.guard()], journal=journal, flow=flow)
        out = agent.compile().invoke({"messages": [("user", "mail me my ssn")]}, {"configurable": {"thread_id": "t"}})
        assert SSN not in out["messages"][-2].content  # the denial tells the value withheld
        assert _patterns_with(SSN), "control: the withholding compiled a pattern of the value"

        agent.delete_thread("t")

        assert _patterns_with(SSN) == []
