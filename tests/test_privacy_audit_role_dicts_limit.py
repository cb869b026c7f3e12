"""A conversation converted to role dicts (`convert_to_openai_messages`) keeps no message's artifact, so
its audit has lost what the gate recorded there: a call the node refused before any guard (`"by": "node"`,
an id used again), the `after` of a call checked again after its turn's results, a person's edits, a
hidden result's `readers` and `trusted`, a ToolNode result's `shape`. A stated limit (docs/privacy.md, "Audit"):
the messages' audit of such dicts may miss what the live guard found, or report what it never saw.

Seeds of the parity fuzzer (`tests/_parity_fuzz.py`) where it does (168 of its first 400 seeds): in seed 20
a `send_email` made with an id the thread used before is reported, though the node refused it before any guard.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from _parity_fuzz import plan, run


@pytest.mark.xfail(strict=True, reason="stated limit: role dicts carry no artifact of the gate's records")
@pytest.mark.parametrize("seed", [5, 6, 20])
def test_role_dicts_audit_reports_what_the_live_guard_found(seed: int, tmp_path: Path) -> None:
    r = run(plan(random.Random(seed)), tmp_path)
    covered = {e.call_id for e in r["journal"].entries("t") if e.kind == "verdicts"
               for d in e.data.get("decisions", ()) if isinstance((d.get("verdict") or {}).get("evidence"), dict)
               and d["verdict"]["evidence"].get("approved")}
    live = set(r["live"])
    assert not isinstance(r["by_dicts"], str), r["by_dicts"]
    assert {v for v in r["by_dicts"] if v[0] not in covered or v in live} == live
