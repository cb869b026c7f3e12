"""Erasing a thread leaves its values in the guards' process-wide caches of texts.

What must hold (docs/kernel.md "Erasing a thread": the deletion erases "then what the flows reading the journal in this
process hold of it"; `_Threads._scrub`: "a thread erased (`forget`) leaves none of its values in memory"):
once `Agent.delete_thread` returns, no value of the deleted thread (its tools' results, its calls' arguments)
is reachable from the caches the flows of this process fill as they label and check it.

Before: the flow's own caches were emptied, but the module-level memo tables its labelling fills, keyed by
the very texts it read, were not: `guards._forms` (`_NORMS`, `_DIGITS`, `_UNITS`, and the lru caches of
`_track_forms`, `_fold_slow`, ...), `guards._index._CUTS` (cuts "by their values") and the recipient caches of
`guards._privacy_decl` (`_recipients_of_str`, `_spelling`, ...). A denied call's SSN, a mail's sender and
order number stayed in a long-lived process's memory after the user asked to erase the conversation.

Fixed: forgetting a thread empties the guards' process-wide caches of texts (_forms, _index's cuts,
_privacy_decl's recipient caches).
"""

from __future__ import annotations

import functools
import gc
import sys
from pathlib import Path
from typing import Any

import pytest

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

from test_privacy_flow_forgets_shared_caches import _texts

SSN = "078-05-1120"
ORDER = "ORD-55813-Quist"
PEER = "grace.hopper@navy.example"


def _cached(values: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(module, name, text) for each text holding one of `values` that a cache of a guards module holds: its
    dicts, lists and sets, and the tables of its lru caches."""
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("guards"):
            continue
        for attr, obj in list(vars(module).items()):
            if isinstance(obj, functools._lru_cache_wrapper):
                roots: list[Any] = [r for r in gc.get_referents(obj) if isinstance(r, dict)]
            elif isinstance(obj, (dict, list, set)):
                roots = [obj]
            else:
                continue
            found += [(name, attr, t) for r in roots for t in _texts(r) if any(v in t for v in values)]
    return found


@pytest.mark.parametrize("case", ["a denied call's SSN", "a mail's order and sender"])
def test_no_process_cache_holds_a_deleted_threads_values(tmp_path: Path, case: str) -> None:
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ada", "ssn": SSN}

    @privacy_sink()
    @privacy_source(private=["body"], readers_from=["sender"], kind="mail", key="order")
    def read_mail() -> list:
        """The user's mail."""
        return [{"order": ORDER, "sender": PEER, "body": "the parcel is late"}]

    @privacy_sink(disclose={"body": "to"})
    def send(to: str, body: str) -> str:
        """Send a mail."""
        return "sent"

    script = ([("get_profile", {}), ("send", {"to": "eve@evil.example", "body": f"ssn {SSN}"}), "ok"]
              if case.endswith("SSN") else [("read_mail", {}), ("send", {"to": PEER, "body": f"about {ORDER}"}), "ok"])
    values = (SSN, SSN.replace("-", "")) if case.endswith("SSN") else (ORDER, PEER, PEER.replace(".", "").split("@")[0])
    with EffectJournal(tmp_path / "journal.db") as journal:
        flow = PrivacyFlow(PrivacyPolicy.of("ada@example.com"), journal=journal)
        agent = Agent(ScriptedModel(script), [get_profile, read_mail, send], guards=[flow.guard()],
                      journal=journal, flow=flow)
        agent.compile().invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
        assert _cached(values), "control: the scan reaches the caches the labelling filled"

        agent.delete_thread("t")

        held = _cached(values)
        assert held == [], held
        assert _labelled(values) == []


def _labelled(values: tuple[str, ...]) -> list[str]:
    """Each source naming one of `values` of a label the label caches of `guards._observation` hold."""
    from guards import _observation

    caches = (_observation._TAINTS, _observation._OWNED, _observation._READ, _observation._VOUCHED,
              _observation._JOINS, _observation._MANY)
    labels = [x for c in caches for entry in list(c.values()) for x in (entry if isinstance(entry, tuple) else (entry,))]
    labels = [lbl for x in labels for lbl in (x if isinstance(x, tuple) else (x,))]
    return [s for lbl in labels for s in getattr(lbl, "sources", ()) if any(v in s for v in values)]
