"""How the privacy hooks' cost grows with a thread's length: one conversation that reads thousands of
private records (an assistant working through a mailbox), labelled as it goes.

    python -m benchmarks.privacy.long_thread [--results N] [--json PATH]

Each step records one tool result holding two private fields (shown as handles) and labels the next
call's arguments, as the guard node does. Prints the microseconds per step at several thread lengths
and their ratio to the cost at the thread's start, measured in the same process. Value tracking tests
every value the thread holds against each new text (substring tests in C), so some growth is
expected; what the flow builds per thread is only ever extended, never rebuilt.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from guards import PrivacyFlow, privacy_source
from guards._privacy_decl import source_of
from vfa import ToolSpec

from .. import at_least, json_path
from .world import POLICY


@privacy_source(private=["ssn", "note"], kind="client")
def read_client(i: int) -> dict:
    """One client's record."""
    return {}


def _step(flow: PrivacyFlow, decl: Any, k: int) -> float:
    t0 = time.perf_counter()
    flow.record("long", f"call_{k}", "read_client", decl, {
        "name": f"Client {k}", "ssn": f"{100000000 + k * 7919}",
        "note": f"private note {k:05d} on the case of client {k * 31}"})  # no note holds another
    flow.label({"name": "send_email", "args": {"to": ["bob@family.example"], "body": f"status update {k}"}},
               {}, "long")
    return time.perf_counter() - t0


WINDOW = 20
"""Steps each figure is the median of: a thread of fewer results has no figure at its end."""


def run(results: int, window: int = WINDOW) -> dict[str, Any]:
    """Microseconds per step (median over `window` steps) at the start and at each checkpoint."""
    flow = PrivacyFlow(POLICY, secret=b"vfa-bench-long")
    decl = source_of(ToolSpec.of(read_client).meta)
    marks = sorted({m for m in (100, 1000, results // 2, results) if window <= m <= results})
    times: list[float] = []
    for k in range(1, results + 1):
        times.append(_step(flow, decl, k))
    start = statistics.median(times[:window])
    at = {m: statistics.median(times[m - window:m]) for m in marks}
    return {"results": results, "us_per_step_start": start * 1e6,
            "us_per_step": {str(m): t * 1e6 for m, t in at.items()},
            "growth_ratio": at[marks[-1]] / start}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=at_least(WINDOW), default=3000, help="results read on the thread (default 3000)")
    parser.add_argument("--json", type=json_path, metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args.results)
    print(f"one thread reading {args.results} private records (two handles each), record + label per step:")
    print(f"{'results so far':>16} {'us per step':>12} {'vs start':>9}")
    print(f"{'start':>16} {figures['us_per_step_start']:12.0f} {1.0:9.1f}")
    for m, us in figures["us_per_step"].items():
        print(f"{m:>16} {us:12.0f} {us / figures['us_per_step_start']:9.1f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
