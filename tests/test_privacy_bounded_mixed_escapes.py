"""An argument that mixes the escapes of four formats held one privacy check for ~10 s.

Input: the model read a private file (`tax/w2-2025.txt`), then mails bob a 61 KB body (under the 64 KiB
`max_arg_bytes`) made of one unit repeated: "%5Cu0030&#48;\\x30=?utf-8?q?=30?=" (a URL's, HTML's, Python's
and a Q encoded-word's escapes; no private value). Labelling reads such a text as letters and, once, with
each format's escapes as written (`_written_readings`: 1 + 4 readings). `PrivacyFlow.values_in` (what an
approval covers, and whether a value is cut across calls) read each of those readings' own escapes as
written again, recursively: every mix of the formats in every order, 82 readings of the whole text per
call, and the privacy guard asks for three such sets (`_formed_across`). The docs/privacy.md's "Bounded work"
promises labelling linear in what it reads, inline and without a deadline: this call took ~10 s (a
30 KB body ~4.5 s), and one of two formats ~2.5 s.

Fixed: `values_in` reads the escapes as written once, as labelling does (its readings' own escapes are read
as letters), and `_forms._decoded` keeps its last texts (a check decodes each argument a few dozen times).
"""

from __future__ import annotations

import json
import time
from typing import Any

from test_privacy_cut_within import W2, _send

from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow
from guards._flow import PrivacyFlow as _Flow
from guards._privacy_decl import source_of
from vfa import ToolSpec

BOUND_S = 5.0
MIXED = "%5Cu0030&#48;\\x30=?utf-8?q?=30?="


def _body(unit: str, size: int = 63_000) -> str:
    """`unit` repeated to just under `size` bytes as JSON (the arguments' limit is 64 KiB)."""
    return unit * ((size - 2) // (len(json.dumps(unit)) - 2))


def test_a_call_of_mixed_escapes_is_checked_in_bounded_time() -> None:
    body = _body(MIXED)
    t0 = time.perf_counter()
    world, outcome = _send(W2, "notes", body)
    took = time.perf_counter() - t0
    assert outcome in ("committed", "denied")
    assert took < BOUND_S, f"checking one {len(body):,}-character argument took {took:.1f} s"


def test_what_an_approval_covers_reads_each_format_as_written_once(monkeypatch: Any) -> None:
    world = World("")
    flow = PrivacyFlow(POLICY, secret=b"rt158")
    read_file = next(t for t in world.tools() if ToolSpec.of(t).name == "read_file")
    flow.record("t", "c1", "read_file", source_of(ToolSpec.of(read_file).meta), read_file("tax/w2-2025.txt"))
    assert flow.holds_values("t")
    calls = [0]
    values_in = _Flow.values_in

    def counted(self: _Flow, *a: Any, **kw: Any) -> Any:
        calls[0] += 1
        return values_in(self, *a, **kw)

    monkeypatch.setattr(_Flow, "values_in", counted)
    flow.values_in((), "t", [_body(MIXED, 4000)])
    # the text as letters, then as written (all formats, and each alone): as labelling reads it
    assert calls[0] <= 1 + 1 + 4, f"{calls[0]} readings of one text"
