"""The check for a value cut across calls costs work in proportion to every value the thread holds.

The privacy guard reads what each recipient receives after the ends of what the last 32 calls on the
thread disclosed to them (`PrivacyGuard._across_calls` -> `PrivacyFlow.content_label` ->
`Cuts.across`). `Cuts.across` looks each text's last characters up in `heads`, where a value's first
one, two, three... characters are keys: a text ending in "1" reaches every tracked value beginning
with "1" (every SSN or account number of one range), and each is noted as a possible cut whether or
not any text could hold the rest of it. So a call whose arguments are a few short numbers (a page, an
id: a tool without a sink declaration publishes them) is checked in time linear in the thread's
values. Measured through an `Agent` on one thread reading records of two private fields, the guard
node's time per call went from 2.5 ms at the start to 16 ms after 800 results and 80-110 ms after
1,600, nearly all of it in this check; docs/privacy.md's long-thread figure (0.49-0.72 ms per result at
3,000 results, 1.7-4.9x its start) measures labelling only. Past `VISITS` (a budget meant for texts
crafted to match a million cuts) an ordinary call would be labelled the user's alone and denied.

What must hold: the work of checking the same short texts grows with the thread's values no more than
the long-thread figure docs/privacy.md states (under 5x from 100 results to 3,000). The work is counted
as the (value, cut) states `Cuts.across` notes, not timed, so the test is deterministic.

Fixed: each cut is looked up from its longer piece's side and the shorter tested against the texts
(`guards/_cuts.py`, `_Across`); `tests/test_privacy_cuts_as_before.py` checks that what is found is what
the old search found.
"""

from __future__ import annotations

import guards._cuts as cuts_module
from benchmarks.privacy.long_thread import read_client
from benchmarks.privacy.world import POLICY
from guards import PrivacyFlow
from guards._privacy_decl import source_of
from vfa import ToolSpec

TEXTS = [str(1000 + 37 * k) for k in range(32)] + ["1571"]  # 32 earlier calls' page numbers, and this call's


def _notes_at(lengths: list[int], monkeypatch) -> list[int]:
    noted = [0]
    kept = cuts_module._kept

    def counting(orders, order):
        noted[0] += 1
        return kept(orders, order)

    monkeypatch.setattr(cuts_module, "_kept", counting)
    decl = source_of(ToolSpec.of(read_client).meta)
    flow = PrivacyFlow(POLICY, secret=b"long-thread-key")
    out, done = [], 0
    for n in lengths:
        for k in range(done + 1, n + 1):
            flow.record("t", f"c{k}", "read_client", decl, {
                "name": f"Client {k}", "ssn": f"{100000000 + k * 7919}",
                "note": f"private note {k:05d} on the case of client {k * 31}"})
        done = n
        noted[0] = 0
        assert flow.content_label(TEXTS, "t").readers is None  # page numbers: public, at any length
        out.append(noted[0])
    return out


def test_checking_short_texts_does_not_grow_with_every_value_on_the_thread(monkeypatch) -> None:
    start, late = _notes_at([100, 3000], monkeypatch)
    assert late <= 5 * max(start, 1), f"{start} cut states noted at 100 results, {late} at 3,000"


def test_checking_short_texts_spends_little_of_the_budget_on_a_long_thread(monkeypatch) -> None:
    """The same check within a budget of 5,000 tests (of the million a call may spend): a search that reads
    every value a short end reaches runs past it at 3,000 records, and the call is labelled the user's."""
    monkeypatch.setattr(cuts_module, "VISITS", 5_000)
    _notes_at([3000], monkeypatch)
