"""Time the privacy hooks in isolation: record every hook call of one honest pass, then replay them.

    python -m benchmarks.privacy.profile_hooks [--repeats N] [--cprofile] [--in-loop] [--floor] [--node] [--json PATH]

One pass of the honest agent over every task records the calls the guard node makes to the flow
(`label`, `resolve`, `observe`) and to the privacy guard (`check`), with their arguments. Each repeat
replays them, in order, against a fresh `PrivacyFlow` (same policy and secret, so the same handles),
and times each hook. Prints microseconds per task per hook (median over repeats) and, with
`--cprofile`, a profile of one replay; with `--in-loop`, the same hooks timed inside the
benchmark's loop, where they run with their code and data cold after the graph's own steps. A fingerprint of every hook's output checks that an
optimisation left the results unchanged.

With `--floor`, the benchmark's strict overhead loop is timed once more with the hooks (`label`,
`observe`, the privacy guard's `check`) stubbed out on the guarded agent, cumulatively: what the
label overhead ratio would be if those hooks cost nothing, so how much of the ratio is theirs and how
much the kernel's flow path and a second guard in the chain. A diagnostic only: the stubbed agent
checks nothing.

With `--node`, the time spent inside the guard node (`GuardNode.handle`) is measured in the loop of
each agent: what the labels add there, over the no-op agent's loop, is the label overhead without the
loop's run-to-run noise (the graph's own steps, the same in both, cancel).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import pstats
import statistics
import time
from collections.abc import Mapping
from typing import Any

from guards._flow import PrivacyFlow

from .. import json_path
from .run import _timed, harness
from .tasks import TASKS
from .world import POLICY


def record() -> tuple[list[tuple[str, tuple[Any, ...]]], int]:
    """The hook calls of one honest pass over every task, in order."""
    h = harness("guarded")
    calls: list[tuple[str, tuple[Any, ...]]] = []
    # the guarded harness holds one PrivacyFlow; find it through its guard node's closure-free attributes
    flow = _find_flow(h.app)
    guard = _find_guard(h.app)
    orig = {n: getattr(flow, n) for n in ("label", "resolve", "observe")}
    check = guard.check

    def wrap(name: str, fn: Any) -> Any:
        def inner(*args: Any) -> Any:
            calls.append((name, args))
            return fn(*args)
        return inner

    for n, fn in orig.items():
        setattr(flow, n, wrap(n, fn))
    guard.check = wrap("check", check)
    for t in TASKS:
        h.run(t, None, obey=False)
    return calls, len(TASKS)


def _find(obj: Any, pred: Any, depth: int = 0, seen: set[int] | None = None) -> Any:
    seen = set() if seen is None else seen
    if id(obj) in seen or depth > 6:
        return None
    seen.add(id(obj))
    if pred(obj):
        return obj
    attrs = getattr(obj, "__dict__", None)
    children: list[Any] = list(attrs.values()) if isinstance(attrs, dict) else []
    if isinstance(obj, dict):
        children += list(obj.values())
    elif isinstance(obj, (list, tuple)):
        children += list(obj)
    for c in children:
        if isinstance(c, (str, bytes, int, float)) or c is None:
            continue
        got = _find(c, pred, depth + 1, seen)
        if got is not None:
            return got
    return None


def _find_flow(app: Any) -> PrivacyFlow:
    got = _find(app, lambda o: isinstance(o, PrivacyFlow))
    assert got is not None, "no PrivacyFlow in the compiled graph"
    return got


def _find_guard(app: Any) -> Any:
    from guards._privacy import PrivacyGuard

    got = _find(app, lambda o: isinstance(o, PrivacyGuard))
    assert got is not None, "no PrivacyGuard in the compiled graph"
    return got


def replay(calls: list[tuple[str, tuple[Any, ...]]], flow: PrivacyFlow | None = None) -> tuple[dict[str, float], str]:
    """Replay the calls; seconds per hook and a fingerprint of every output.

    With `flow`, its threads are forgotten first but its caches kept (as in the benchmark, where one
    flow serves every run on a new thread); without, a fresh flow (cold caches).
    """
    if flow is None:
        flow = PrivacyFlow(POLICY, secret=b"vfa-bench-privacy")
    else:
        _forget_threads(flow)
    if not flow.bound():  # serve the recorded guard node's tools, as the agent's flow does
        flow.bind({a[1].tool.name: a[1].tool for n, a in calls if n == "check"}, None)
    guard = flow.guard()
    fns = {"label": flow.label, "resolve": flow.resolve, "observe": flow.observe, "check": guard.check}
    spent = dict.fromkeys(fns, 0.0)
    digest = hashlib.sha256()
    clock = time.perf_counter
    for name, args in calls:
        fn = fns[name]
        t0 = clock()
        out = fn(*args)
        spent[name] += clock() - t0
        digest.update(name.encode())
        digest.update(repr(_canon(out)).encode())
    return spent, digest.hexdigest()[:16]


def _canon(value: Any) -> Any:
    """A value with sets sorted and models dumped: equal values give equal reprs (set order varies)."""
    if hasattr(value, "model_dump"):
        return (type(value).__name__, _canon(value.model_dump()))
    if isinstance(value, Mapping):
        return sorted((repr(k), _canon(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_canon(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    return value


def _forget_threads(flow: PrivacyFlow) -> None:
    for d in (flow._obs, flow._thread_calls, flow._thread_seen, flow._indexes, getattr(flow, "_scans", {}), getattr(flow, "_calls_index", {}),
              flow._disclosures,
              flow.store._by_token, flow.store._by_thread, flow.store._order, flow.store._place):
        d.clear()


def in_loop(repeats: int) -> tuple[dict[str, float], float]:
    """Seconds per task spent in each hook inside the benchmark's own loop (the honest agent over every
    task, a new thread per run), and the loop's seconds per task: the hooks as the label overhead pays
    for them, their code and data cold after the graph's own steps between them."""
    h = harness("guarded")
    flow, guard = _find_flow(h.app), _find_guard(h.app)
    spent: dict[str, float] = dict.fromkeys(("label", "resolve", "observe", "check"), 0.0)
    clock = time.perf_counter

    def timed(name: str, fn: Any) -> Any:
        def inner(*args: Any) -> Any:
            t0 = clock()
            try:
                return fn(*args)
            finally:
                spent[name] += clock() - t0
        return inner

    for n in ("label", "resolve", "observe"):
        setattr(flow, n, timed(n, getattr(flow, n)))
    guard.check = timed("check", guard.check)
    for t in TASKS:  # warm up, as the benchmark does
        h.run(t, None, obey=False)
    for n in spent:
        spent[n] = 0.0
    loop = 0.0
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            t0 = clock()
            for t in TASKS:
                h.run(t, None, obey=False)
            loop += clock() - t0
        finally:
            gc.enable()
    runs = repeats * len(TASKS)
    return {n: s / runs for n, s in spent.items()}, loop / runs


def floor(repeats: int, tasks: list[Any] = TASKS) -> list[tuple[str, float]]:
    """The strict loop's label overhead ratio with the hooks stubbed out one after another (see the
    module's docstring): (what is stubbed, ratio), the real hooks first."""
    from vfa import ALLOW, PUBLIC
    from vfa._guard_node import _content

    out: list[tuple[str, float]] = []
    stubs: list[tuple[str, Any]] = [
        ("check", lambda flow, guard: setattr(guard, "check", lambda p, c: ALLOW)),
        ("label", lambda flow, guard: setattr(flow, "label", lambda call, state, thread: dict.fromkeys(
            call.get("args") or {}, PUBLIC))),
        ("observe", lambda flow, guard: setattr(flow, "observe", lambda p, spec, result: _content(result))),
    ]
    for k in range(len(stubs) + 1):
        hs = {m: harness(m) for m in ("unguarded", "noop", "guarded")}
        flow, guard = _find_flow(hs["guarded"].app), _find_guard(hs["guarded"].app)
        for _name, stub in stubs[:k]:
            stub(flow, guard)
        got = _timed(hs, ("unguarded", "noop", "guarded"), tasks, repeats)
        out.append(("+".join(n for n, _ in stubs[:k]) or "nothing", got["label_overhead_ratio"]))
    return out


def node(repeats: int, tasks: list[Any] = TASKS) -> dict[str, tuple[float, float]]:
    """Per agent ("noop", "guarded", and "guarded" with every hook stubbed out as `floor` does): (the
    loop's seconds per task, the seconds per task inside the guard node's `handle`), medians over
    repeats. The node's time is the steadier figure: the label overhead is what "guarded" adds to it,
    over the loop's time without it (the graph's own steps are the same in both)."""
    from vfa import ALLOW, PUBLIC
    from vfa._guard_node import GuardNode, _content

    spent = [0.0]
    clock = time.perf_counter
    real = GuardNode.handle

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = clock()
        try:
            return real(self, *args, **kwargs)
        finally:
            spent[0] += clock() - t0

    hs = {m: harness("noop" if m == "noop" else "guarded") for m in ("noop", "guarded", "stubbed")}
    flow, guard = _find_flow(hs["stubbed"].app), _find_guard(hs["stubbed"].app)
    guard.check = lambda p, c: ALLOW
    flow.label = lambda call, state, thread: dict.fromkeys(call.get("args") or {}, PUBLIC)
    flow.observe = lambda p, spec, result: _content(result)
    runs: dict[str, list[tuple[float, float]]] = {m: [] for m in hs}
    GuardNode.handle = timed  # type: ignore[method-assign]
    try:
        for t in tasks:  # warm up
            for h in hs.values():
                h.run(t, None, obey=False)
        for _ in range(repeats):
            for m, h in hs.items():
                gc.collect()
                gc.disable()
                try:
                    spent[0] = 0.0
                    t0 = clock()
                    for t in tasks:
                        h.run(t, None, obey=False)
                    runs[m].append(((clock() - t0) / len(tasks), spent[0] / len(tasks)))
                finally:
                    gc.enable()
    finally:
        GuardNode.handle = real  # type: ignore[method-assign]
    return {m: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for m, v in runs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="profile_hooks", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--cold", action="store_true", help="a fresh flow per replay (cold caches)")
    parser.add_argument("--in-loop", action="store_true",
                        help="also time the hooks inside the benchmark's loop, beside the replay")
    parser.add_argument("--floor", action="store_true",
                        help="also time the strict loop with the hooks stubbed out (what the ratio owes them)")
    parser.add_argument("--node", action="store_true",
                        help="also time the guard node's handle in the loop (noop, guarded, guarded with hooks stubbed)")
    parser.add_argument("--json", type=json_path, metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    calls, tasks = record()
    counts = {n: sum(1 for c, _ in calls if c == n) for n in ("label", "resolve", "observe", "check")}
    runs: dict[str, list[float]] = {n: [] for n in counts}
    fingerprints = set()
    warm = None
    if not args.cold:
        warm = PrivacyFlow(POLICY, secret=b"vfa-bench-privacy")
        replay(calls, warm)
    for _ in range(args.repeats):
        spent, fp = replay(calls, warm)
        fingerprints.add(fp)
        for n, s in spent.items():
            runs[n].append(s)
    total = 0.0
    print(f"{len(calls)} hook calls over {tasks} tasks; fingerprint {', '.join(sorted(fingerprints))}")
    for n, v in runs.items():
        med = statistics.median(v)
        total += med
        print(f"{n:8} {counts[n]:5} calls {med / tasks * 1e6:8.1f} us/task {med / max(1, counts[n]) * 1e6:8.1f} us/call")
    print(f"{'total':8} {'':11} {total / tasks * 1e6:8.1f} us/task")
    figures: dict[str, Any] = {"tasks": tasks, "repeats": args.repeats, "fingerprints": sorted(fingerprints),
                               "us_per_task": {n: statistics.median(v) / tasks * 1e6 for n, v in runs.items()},
                               "total_us_per_task": total / tasks * 1e6}
    if args.in_loop:
        per_task, loop = in_loop(max(1, args.repeats // 3))
        figures["in_loop"] = {"loop_us_per_task": loop * 1e6, "us_per_task": {n: s * 1e6 for n, s in per_task.items()}}
        print(f"in the loop ({loop * 1e6:.0f} us/task): " + ", ".join(
            f"{n} {s * 1e6:.1f}" for n, s in per_task.items()) + f"; total {sum(per_task.values()) * 1e6:.1f} us/task "
              f"({sum(per_task.values()) / max(total / tasks, 1e-12):.1f}x the replay: the hooks run cold between graph steps)")
    if args.floor:
        figures["floor"] = {}
        for stubbed, ratio in floor(max(3, args.repeats // 2)):
            print(f"strict label overhead ratio, {stubbed} stubbed: {ratio:.3f}")
            figures["floor"][stubbed] = ratio
    if args.node:
        got = node(max(3, args.repeats // 3))
        figures["node"] = {m: {"loop_us_per_task": loop * 1e6, "in_node_us_per_task": inside * 1e6}
                           for m, (loop, inside) in got.items()}
        loop0, node0 = got["noop"]
        for m, (loop, inside) in got.items():
            print(f"{m:8} loop {loop * 1e6:7.0f} us/task, in the guard node {inside * 1e6:6.0f} us/task"
                  + (f" (+{(inside - node0) * 1e6:.0f}: {1 + (inside - node0) / loop0:.3f}x the no-op loop)"
                     if m != "noop" else ""))
    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(10):
            replay(calls, warm)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
