"""`After(..., within=n)` judges a deadline of any whole number of frames, however large, as documented.

`within` is taken as any whole number >= 0 and handed as is to the compiled kernel, whose frame
arithmetic is int64: `within=2**63 - 1` wrapped `f + within` to a negative frame, so a trigger whose
deadline falls after the end of the trace (not judged unless `open_end_fails`) was reported as a missed
deadline at frame 1 ("did not hold by frame 9223372036854775808"); `within=2**63` and above raised
`OverflowError('int too big to convert')`, naming neither the invariant nor the argument, so a
`TraceVerifier` denied every run with that text as its reason.

What must hold: a deadline past the end of the trace is open (no violation) unless `open_end_fails`,
when it is a violation, for every `within` the declaration accepts.

Fixed: After hands the kernel min(within, the trace's length): a deadline past the last frame is judged alike
for any within.
"""

from __future__ import annotations

import pytest

from guards import After, check_trace, state

TRACE = {"t": [0.0, 1.0, 0.0], "g": [0.0, 0.0, 0.0]}  # a trigger at frame 1, the goal never holds


@pytest.mark.parametrize("within", [5, 2**62, 2**63 - 1, 2**63, 2**64 + 7, 10**30])
def test_a_deadline_past_the_end_is_open_unless_open_end_fails(within: int) -> None:
    assert check_trace(TRACE, [After(state("t") > 0, state("g") > 0, within=within)]) == []
    found = check_trace(TRACE, [After(state("t") > 0, state("g") > 0, within=within, open_end_fails=True)])
    assert [v.frame for v in found] == [1]
    assert found[0].values["deadline"] == 1 + within


def test_a_deadline_within_the_trace_is_still_judged() -> None:
    found = check_trace({"t": [1.0, 0.0, 0.0, 0.0], "g": [0.0, 0.0, 0.0, 1.0]},
                        [After(state("t") > 0, state("g") > 0, within=2)])
    assert [v.frame for v in found] == [0]
