"""Red team 121: a value-judging guard's allow evidence is journaled and traced with the values behind handles in clear.

docs/privacy.md ("Other guards judge values"): every guard but the privacy guard judges the arguments with each
handle swapped for its value, and "what such a guard says (its reason, evidence, counterexample, hint or
question, ...) is journaled, traced and shown with every value of the thread's handles written as its
handle again". `Allow` carries evidence too ("what the allowance rests on"), and the chain withheld the
values only from verdicts other than an allow (`GuardChain._run_each`: `if verdict.kind != "allow"`).

So a guard that allows a payment and says why (`Allow(evidence={"checked_iban": p.args["iban"]})`, an
allow-list lookup, an audit note) writes the IBAN the model only ever held as `«iban:…»` into the
`run_guardrail` span's `vfa.evidence` (exported to the trace file or an OTLP collector) and into the
journal's `verdicts` entry, where the call's own arguments are kept as handles. The trace is no reader
of the user's data (red team 77), and the journal keeps handles, never what they stand for.

Fixed: an allow that carries evidence is withheld and made storable as a denial is (`GuardChain._run_each`);
the common evidence-free `ALLOW` skips the step.
"""

from __future__ import annotations

import json

from _landlord import IBAN, landlord_agent, payment
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Allow, EffectJournal, guard
from vfa.testing import capture_spans


def _paid_with(evidence_of) -> tuple[list, EffectJournal, list]:
    paid: list = []

    @guard
    def known_payee(p, c):
        return Allow(evidence=evidence_of(p)) if p.tool == "pay" else Allow()

    @payment
    def pay(iban: str, amount: int) -> str:
        """Pay an account."""
        paid.append(iban)
        return "paid"

    journal = EffectJournal()
    app = landlord_agent(pay, 10, secret=b"rt121-allow", guards=[known_payee], checkpointer=InMemorySaver(),
                         journal=journal)
    with capture_spans() as spans:
        out = app.invoke({"messages": [HumanMessage("pay the landlord 10")]}, {"configurable": {"thread_id": "t"}})
    assert "«iban:" in out["messages"][2].content  # the model held the IBAN as a handle only
    return paid, journal, list(spans.get_finished_spans())


def test_an_allows_evidence_is_traced_without_the_value_behind_a_handle():
    paid, _, spans = _paid_with(lambda p: {"checked_iban": p.args["iban"]})
    assert paid == [IBAN]  # the effect got the value; the guard allowed it
    traced = [(s.name, json.dumps(dict(s.attributes or {}), default=str)) for s in spans]
    leaked = [name for name, attrs in traced if IBAN in attrs]
    assert not leaked, f"spans {leaked} hold the private IBAN in clear"
    guardrail = [attrs for name, attrs in traced if name == "run_guardrail known_payee" and "vfa.evidence" in attrs]
    assert guardrail and "iban:" in guardrail[-1], traced  # still told, as the handle


def test_an_allows_evidence_is_journaled_without_the_value_behind_a_handle():
    _, journal, _ = _paid_with(lambda p: {"note": f"payee {p.args['iban']} is on the allow-list"})
    verdicts = [e for e in journal.entries("t") if e.kind == "verdicts" and e.tool == "pay"]
    assert verdicts, journal.entries("t")
    written = json.dumps([e.data for e in verdicts])
    assert IBAN not in written, f"the journal's verdicts hold the private IBAN in clear: {written}"
    assert "«iban:" in written or "\\u00abiban:" in written, written
