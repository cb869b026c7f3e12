"""The keys of a private record a handle stands for are journaled and traced in clear.

docs/privacy.md ("Other guards judge values"): what a guard judging values says (its reason, evidence) "is
journaled, traced and shown with every value of the thread's handles written as its handle again ...
a record's values one by one"; docs/privacy.md ("Logs"): the OTel spans show handles only. A private field may
hold a record keyed by private data (accounts keyed by their IBAN); the labelling reads keys as it reads
values.

How it breaks: `HandleStore._telling` looks for a record handle's value whole and for the values inside
it (`_parts`), never for its keys. A guard that quotes the record as written (`f"{accounts}"`, its repr)
or lists its keys writes the IBAN into its reason and evidence, and the journal's `verdicts` / `denied`
entries and the `run_guardrail` span's `vfa.reason` / `vfa.evidence` hold it in clear, beside the
record's value written as its handle (guards/_handles.py, `_telling`: `for v in [h.value, *_parts(h.value)]`).
The model's denial withholds the IBAN by its digits; a key without a digit (a name) would reach it too.

What must hold: neither the journal's entries for the call nor any span holds the private key.

Fixed: HandleStore._telling also looks for the keys of a record behind a handle (_keys), where each stands
whole: a key is as often a field name, a guard's own word.
"""

from __future__ import annotations

import json
import re
from typing import Any

from _turns import by_step
from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, Deny, EffectJournal, effect, guard
from vfa.testing import ScriptedModel, capture_spans

ME = "me@home.example"
IBAN = "DE89370400440532013000"


@privacy_sink()
@privacy_source(private=["accounts"], kind="profile")
def get_profile() -> dict:
    """The user's profile: their accounts, by IBAN."""
    return {"name": "me", "accounts": {IBAN: "checking"}}


@privacy_sink(internal=["accounts"])
@privacy_source()
@effect
def close(accounts: dict) -> str:
    """Close accounts."""
    return "closed"


@guard(tools=["close"])
def one_at_a_time(proposal: Any, context: Any) -> Any:
    accounts = proposal.args["accounts"]
    return Deny(reason=f"cannot close {accounts} today", evidence={"accounts": sorted(accounts)})


def _close_by_handle(tms: list[Any]) -> Any:
    return ("close", {"accounts": re.search(r'"accounts": "(«[^»]+»)"', tms[-1].content).group(1)})


def test_a_records_private_keys_are_not_journaled_or_traced_in_clear() -> None:
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"record-keys")
    app = Agent(ScriptedModel(rule=by_step([("get_profile", {}), _close_by_handle])), [get_profile, close],
                guards=[flow.guard(), one_at_a_time], flow=flow, journal=journal).compile()
    with capture_spans() as spans:
        out = app.invoke({"messages": [HumanMessage("close my accounts")]}, {"configurable": {"thread_id": "t"}})
        finished = spans.get_finished_spans()
    assert "«accounts:" in out["messages"][2].content  # the model held the accounts as a handle only
    assert IBAN not in out["messages"][4].content
    entries = [e for e in journal.entries("t") if e.tool == "close" and e.kind in ("verdicts", "denied")]
    assert [e.kind for e in entries] == ["verdicts", "denied"]
    written = json.dumps([e.data for e in entries], ensure_ascii=False)
    assert "cannot close" in written
    assert IBAN not in written, written
    traced = json.dumps([(s.name, dict(s.attributes or {})) for s in finished], default=str, ensure_ascii=False)
    assert "cannot close" in traced
    assert IBAN not in traced, traced


def test_a_records_key_is_withheld_where_it_stands_whole_only() -> None:
    """A key of a record behind a handle is a field name as often as private data: it is withheld where
    it stands as a word, not inside a guard's own words ("amounts" keeps its letters)."""
    from guards._handles import HandleStore
    from vfa import Label

    store = HandleStore()
    token = store.mint("t", "c1", "$", "accounts", {"amount": 10, "Ann Lee": "checking"},
                       Label(sources=frozenset({"bank"}), trusted=False), "get_accounts")
    out = store.withheld({"reason": "amounts differ; amount 10 for Ann Lee (Ann Leeds stays)", "evidence": {}}, "t")
    assert out["reason"] == f"amounts differ; {token} {token} for {token} (Ann Leeds stays)"
