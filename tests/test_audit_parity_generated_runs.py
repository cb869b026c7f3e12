"""Generated runs (red team 131), the live privacy guard against both audits of what it recorded.

Each plan (`_generated_runs.plan`, a seeded `random.Random`) is a short scripted run over the benchmark
world: 2-4 model turns of 1-3 calls (reads, mails, payments, shares, posts; a read of a missing file, a
tool error; an id used again), private values passed by handle or copied in clear once read, values cut
across the calls of a turn, either context policy, denying or asking a person (who approves, rejects or
edits), under the vfa `Agent` or `create_agent` with `GuardMiddleware`. The audit must report what the
live guard denied or asked about, once for each arguments it checked: `trace_from_journal` always,
`trace_from_messages` too (a `create_agent` run whose guard asked a person included: a call checked again
on resume, after the rest of its turn ran, see `test_audit_messages_recheck_after_parallel_call.py`).

The seeds are fixed (a few past the range are runs that once found a mismatch) and the run is bounded.
One run of the first 700 seeds is left out: seed 437, whose last post is denied live also for a value
cut across calls that only the values behind its handles form (`content+url`): a conversation holds the
handles, never their values, so only the journal's audit finds that (docs/privacy.md, "Audit").
"""

from __future__ import annotations

import random

import pytest
from _generated_runs import plan, run

SEEDS = [*range(16), 54, 80, 99, 106, 107, 120, 133, 166, 230, 322, 331, 334, 362, 373, 469, 687]


@pytest.mark.parametrize("seed", SEEDS)
def test_both_audits_report_what_the_live_guard_found(seed: int) -> None:
    p = plan(random.Random(seed))
    r = run(p)
    assert r["by_journal"] == r["live"], (p, r["by_journal"])
    assert r["by_messages"] == r["live"], (p, r["by_messages"])
