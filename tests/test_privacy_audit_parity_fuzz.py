"""A differential fuzzer of the privacy audit: the audit reports what the live guard found, call by call.

Each plan (`_parity_fuzz.plan`, a seeded `random.Random`) is a scripted run over the benchmark world in one to
three episodes, each opened by a user message (as text or content blocks) that may type an IBAN, an address,
an amount or a password; 1-3 calls a turn over every tool of the world (`compute` and `encode_text` on
handles, forwards, events, password changes, searches), arguments that join handles, clear values, what the
user typed, cuts and literals; ids unique or numbered per turn (used again later); either context policy,
grants, `trusted_sources`, denying or asking a person (who approves, approves for the recipient, rejects, or
edits the recipient or the text); the vfa `Agent` or `create_agent` with `GuardMiddleware`; a restart (a new
journal object and flow on the journal's file) between episodes.

Must hold: `trace_from_journal` and `trace_from_messages`, audited, report the (call, rule, argument) the live
guard denied or asked about, neither more nor less; a call an earlier approval covered (live: an allow citing
it) may be reported by the audits too (docs/privacy.md, "Audit": it reports those a person approved). An earlier
version of this generator (one episode shape less) found `test_audit_messages_hidden_trusted_no_taint.py`, and seed 4294 its `create_agent` case; these
seeds (about 4,500 were run) pass. Left out: the documented limit of a value cut across calls out of values
behind handles, which only the journal's audit finds (seeds 3120 and 3698 of the generator).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from _parity_fuzz import plan, run

SEEDS = [*range(40), 155, 263, 391, 1257, 1426, 1572, 4294]


@pytest.mark.parametrize("seed", SEEDS)
def test_both_audits_report_what_the_live_guard_found(seed: int, tmp_path: Path) -> None:
    p = plan(random.Random(seed))
    r = run(p, tmp_path)
    covered = {e.call_id for e in r["journal"].entries("t") if e.kind == "verdicts"
               for d in e.data.get("decisions", ()) if isinstance((d.get("verdict") or {}).get("evidence"), dict)
               and d["verdict"]["evidence"].get("approved")}
    live = set(r["live"])
    for by in ("by_journal", "by_messages"):
        audited = {v for v in r[by] if v[0] not in covered or v in live}
        assert audited == live, (seed, by, sorted(audited ^ live))
