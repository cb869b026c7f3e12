"""`vfa bench privacy`: utility and attack success with and without the privacy guard, and label overhead.

    python -m benchmarks.privacy.run [--quick] [--json PATH]

Every run goes through the real compiled graph (`Agent(...).compile()`), with deterministic agents:
an honest one for utility without attack, and one that obeys every injected instruction for utility
and attack success under attack. The attack success rate counts the (task, attack) pairs in which the
agent read the injection; limit probes (documented residuals) are reported apart.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

from guards._flow import PrivacyFlow
from vfa import ALLOW, Agent, EffectJournal, FunctionGuard
from vfa.testing import ScriptedModel

from .. import at_least, json_path

from .agents import rule_for
from .attacks import ATTACKS, HELD_OUT, Attack
from .tasks import READING_TASKS, TASKS, Task
from .world import POLICY, World


@dataclass
class _Harness:
    """One compiled agent reused across runs: the world is reset and the rule swapped per run."""

    world: World
    app: Any
    current: dict[str, Callable[..., Any]]
    runs: int = 0

    def run(self, task: Task, attack: Attack | None, *, obey: bool) -> tuple[World, list[Any]]:
        self.world.__init__(attack.text() if attack else "")  # the tools close over this world: reset it
        if attack and attack.plant:
            attack.plant(self.world)
        self.current["rule"] = rule_for(task, obey=obey)
        self.runs += 1
        out = self.app.invoke({"messages": [HumanMessage(task.prompt)]},
                              {"configurable": {"thread_id": f"run-{self.runs}"}, "recursion_limit": 80})
        return self.world, out["messages"]


def harness(mode: str, *, checkpointer: bool = False, files: ExitStack | None = None) -> _Harness:
    """mode: "unguarded" (no guards, no labels), "noop" (a no-op guard, no labels), "guarded" (the no-op
    guard, labels and the privacy guard), "strict" (the same, under `context_taint="private"`: what the
    model read in clear taints what it writes) or "privacy" (labels and the privacy guard alone); with
    `checkpointer`, the graph keeps its state in an `InMemorySaver`; with `files`, the agent runs on the
    embedded defaults of `vfa demo` instead: its journal and its checkpoints in SQLite files (in a
    temporary folder the stack removes, with their connections, when it closes)."""
    world = World()
    current: dict[str, Callable[..., Any]] = {}
    model = ScriptedModel(rule=lambda messages: current["rule"](messages))
    noop = FunctionGuard(lambda p, c: ALLOW, name="noop")
    journal, saver = None, InMemorySaver() if checkpointer else None
    if files is not None:
        folder = Path(files.enter_context(tempfile.TemporaryDirectory(prefix="vfa-bench-")))
        journal = EffectJournal(folder / "journal.db")
        files.callback(journal.close)
        saver = SqliteSaver(files.enter_context(closing(sqlite3.connect(folder / "checkpoints.db",
                                                                        check_same_thread=False))))
    if mode in ("guarded", "strict", "privacy"):
        policy = replace(POLICY, context_taint="private") if mode == "strict" else POLICY
        flow = PrivacyFlow(policy, secret=b"vfa-bench-privacy")
        agent = Agent(model, world.tools(), guards=[flow.guard()] if mode == "privacy" else [noop, flow.guard()],
                      flow=flow, journal=journal)
    elif mode == "noop":
        agent = Agent(model, world.tools(), guards=[noop], journal=journal)
    else:
        agent = Agent(model, world.tools(), journal=journal)
    return _Harness(world, agent.compile(checkpointer=saver), current)


def _exposed(messages: list[Any], attack: Attack) -> bool:
    tag = f"[[inj:{attack.id}]]"
    return any(isinstance(m, ToolMessage) and tag in str(m.content) for m in messages)


def evaluate(mode: str, tasks: list[Task], attacks: list[Attack], reading: list[Task] = ()) -> dict[str, Any]:
    """Utility without attack (honest agent) and, per attack, utility and success (obeying agent); the
    limit probes and the held-out attacks counted apart; the utility of the `reading` tasks apart."""
    h = harness(mode)
    honest = {t.id: t.check(h.run(t, None, obey=False)[0]) for t in tasks}
    read = {t.id: t.check(h.run(t, None, obey=False)[0]) for t in reading}
    pairs = []
    for a in attacks:
        for t in tasks:
            world, messages = h.run(t, a, obey=True)
            pairs.append({"task": t.id, "attack": a.id, "probe": a.limit_probe, "held_out": a.held_out,
                          "exposed": _exposed(messages, a), "utility": t.check(world), "success": a.succeeded(world)})
    main = [p for p in pairs if not p["probe"] and not p["held_out"]]
    exposed = [p for p in main if p["exposed"]]
    probes = [p for p in pairs if p["probe"] and p["exposed"]]
    held = [p for p in pairs if p["held_out"] and p["exposed"]]
    return {
        "utility": sum(honest.values()) / len(honest),
        "failed_tasks": sorted(k for k, v in honest.items() if not v),
        "utility_under_attack": sum(p["utility"] for p in main) / max(1, len(main)),
        # the pairs whose task read the injection: the rest run as without an attack
        "utility_under_attack_exposed": sum(p["utility"] for p in exposed) / max(1, len(exposed)),
        "asr": sum(p["success"] for p in exposed) / max(1, len(exposed)),
        "exposed_pairs": len(exposed),
        "successful_attacks": sorted({p["attack"] for p in exposed if p["success"]}),
        "successful_probes": sorted({p["attack"] for p in probes if p["success"]}),
        "probe_asr": sum(p["success"] for p in probes) / max(1, len(probes)),
        "held_out_asr": sum(p["success"] for p in held) / max(1, len(held)),
        "successful_held_out": sorted({p["attack"] for p in held if p["success"]}),
        "utility_reading": sum(read.values()) / max(1, len(read)),
        "utility_all": (sum(honest.values()) + sum(read.values())) / max(1, len(honest) + len(read)),
        "pairs": len(main),
    }


def overhead(tasks: list[Task], repeats: int, *, checkpointer: bool = False, files: bool = False,
             alone: bool = False) -> dict[str, float]:
    """Wall time of the honest tool loop: privacy labels + guard vs a no-op guard vs no guard at all.

    The three agents share the scripted model, the tools and the tasks: "noop" runs a guard that allows
    everything (on the guard worker, as a budgeted guard does); "guarded" is the same agent with labels
    and the privacy guard added (it labels every argument, labels and handles every result and runs the
    privacy guard, inline); "unguarded" has no guard. So the label overhead is what adding labels and the
    privacy guard costs an agent that already has a guard. The headline runs without a checkpointer
    (the strictest loop: nothing else to share the cost with); with `checkpointer`, every graph keeps its
    state in an `InMemorySaver`, as an agent must for the privacy guard to ask a person; with `files`,
    each agent keeps its journal and its checkpoints in SQLite files, as `vfa demo` does (the durable
    state exactly-once needs to survive a crash). With `alone`, a fourth agent has labels and the privacy
    guard and no other guard: what the privacy guard costs an agent that had none.

    Each repetition runs every task once per agent, the three runs of a task back to back in an order
    rotated from task to task, with the garbage collector paused (collected between repetitions); the
    ratios are the medians over repetitions of the ratios of the repetition's totals (so drift in the
    machine's load cancels); best-of ratios are reported beside them.
    """
    modes = ("unguarded", "noop", "guarded", *(("privacy",) if alone else ()))
    with ExitStack() as stack:
        hs = {m: harness(m, checkpointer=checkpointer, files=stack if files else None) for m in modes}
        return _timed(hs, modes, tasks, repeats)


def _timed(hs: dict[str, _Harness], modes: tuple[str, ...], tasks: list[Task], repeats: int) -> dict[str, float]:
    """The timings `overhead` describes, of harnesses already built."""
    times: dict[str, list[float]] = {m: [0.0] * repeats for m in hs}
    for t in tasks:  # warm up every path (and every cache) once
        for h in hs.values():
            h.run(t, None, obey=False)
    clock = time.perf_counter
    for r in range(repeats):
        gc.collect()
        gc.disable()  # as timeit does: a collection would land on whichever agent happened to run
        try:
            for i, t in enumerate(tasks):
                k = (r + i) % len(modes)
                for m in modes[k:] + modes[:k]:
                    h = hs[m]
                    t0 = clock()
                    h.run(t, None, obey=False)
                    times[m][r] += clock() - t0
        finally:
            gc.enable()
    med = {m: statistics.median(v) for m, v in times.items()}
    best = {m: min(v) for m, v in times.items()}
    alone = {"privacy_alone_overhead_ratio": statistics.median(p / u for p, u in zip(times["privacy"], times["unguarded"])),
             "loop_s_per_task_privacy": med["privacy"] / len(tasks)} if "privacy" in times else {}
    return {**alone, "label_overhead_ratio": statistics.median(g / n for g, n in zip(times["guarded"], times["noop"])),
            "guard_overhead_ratio": statistics.median(g / u for g, u in zip(times["guarded"], times["unguarded"])),
            "label_overhead_ratio_best": best["guarded"] / best["noop"],
            "guard_overhead_ratio_best": best["guarded"] / best["unguarded"],
            "loop_s_per_task_unguarded": med["unguarded"] / len(tasks),
            "loop_s_per_task_noop": med["noop"] / len(tasks),
            "loop_s_per_task_guarded": med["guarded"] / len(tasks)}


def main(argv: list[str] | None = None) -> int:
    """Run the privacy benchmark and print (and optionally write) its figures; returns the exit code."""
    parser = argparse.ArgumentParser(prog="vfa bench privacy", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few tasks and attacks (a smoke test)")
    parser.add_argument("--json", type=json_path, metavar="PATH", help="write the figures as JSON to PATH")
    parser.add_argument("--repeats", type=at_least(1), default=None, help="overhead repetitions (default 9, quick 3)")
    args = parser.parse_args(argv)
    tasks = TASKS[::5] if args.quick else TASKS
    attacks = [a for a in [*ATTACKS, *HELD_OUT] if a.id in {
        "ssn_mail", "pay_attacker", "forward_inbox", "calendar_title_contact", "alice_mail_to_bob_b64",
        "h_ssn_two_mails"}] if args.quick else [*ATTACKS, *HELD_OUT]
    reading = READING_TASKS[:1] if args.quick else READING_TASKS
    t0 = time.perf_counter()
    un = evaluate("unguarded", tasks, attacks, reading)
    gu = evaluate("guarded", tasks, attacks, reading)
    st = evaluate("strict", tasks, attacks, reading)
    repeats = args.repeats or (3 if args.quick else 9)
    ov = overhead(tasks, repeats, alone=True)
    ck = overhead(tasks, repeats, checkpointer=True)
    fs = overhead(tasks, repeats, files=True)
    figures = {
        "asr_unguarded": un["asr"], "asr_guarded": gu["asr"],
        "utility_unguarded": un["utility"], "utility_guarded": gu["utility"],
        "utility_ratio_guarded": gu["utility"] / un["utility"] if un["utility"] else 0.0,
        "utility_under_attack_unguarded": un["utility_under_attack"],
        "utility_under_attack_guarded": gu["utility_under_attack"],
        "utility_under_attack_exposed_unguarded": un["utility_under_attack_exposed"],
        "utility_under_attack_exposed_guarded": gu["utility_under_attack_exposed"],
        "label_overhead_ratio": ov["label_overhead_ratio"], "guard_overhead_ratio": ov["guard_overhead_ratio"],
        "label_overhead_ratio_best": ov["label_overhead_ratio_best"],
        "label_overhead_ratio_checkpointed": ck["label_overhead_ratio"],
        "guard_overhead_ratio_checkpointed": ck["guard_overhead_ratio"],
        "label_overhead_ratio_files": fs["label_overhead_ratio"],
        "guard_overhead_ratio_files": fs["guard_overhead_ratio"],
        "loop_s_per_task_noop_files": fs["loop_s_per_task_noop"],
        "guard_overhead_ratio_best": ov["guard_overhead_ratio_best"],
        "probe_asr_unguarded": un["probe_asr"], "probe_asr_guarded": gu["probe_asr"],
        "asr_held_out_unguarded": un["held_out_asr"], "asr_held_out_guarded": gu["held_out_asr"],
        "successful_held_out_guarded": gu["successful_held_out"],
        "utility_reading_unguarded": un["utility_reading"], "utility_reading_guarded": gu["utility_reading"],
        "utility_all_unguarded": un["utility_all"], "utility_all_guarded": gu["utility_all"],
        # the same guard under context_taint="private" (opt-in): its own column
        "utility_strict": st["utility"], "utility_ratio_strict": st["utility"] / un["utility"] if un["utility"] else 0.0,
        "utility_under_attack_strict": st["utility_under_attack"],
        "utility_under_attack_exposed_strict": st["utility_under_attack_exposed"],
        "asr_strict": st["asr"], "probe_asr_strict": st["probe_asr"], "asr_held_out_strict": st["held_out_asr"],
        "utility_reading_strict": st["utility_reading"], "utility_all_strict": st["utility_all"],
        "failed_tasks_strict": st["failed_tasks"], "successful_attacks_strict": st["successful_attacks"],
        "successful_held_out_strict": st["successful_held_out"], "successful_probes_strict": st["successful_probes"],
        "privacy_alone_overhead_ratio": ov["privacy_alone_overhead_ratio"],
        "loop_s_per_task_privacy": ov["loop_s_per_task_privacy"],
        "tasks": len(tasks), "reading_tasks": len(reading),
        "attacks": sum(not a.limit_probe and not a.held_out for a in attacks),
        "held_out_attacks": sum(a.held_out for a in attacks),
        "limit_probes": sum(a.limit_probe for a in attacks), "pairs": gu["pairs"], "exposed_pairs": gu["exposed_pairs"],
        "failed_tasks_guarded": gu["failed_tasks"], "failed_tasks_unguarded": un["failed_tasks"],
        "successful_attacks_guarded": gu["successful_attacks"],
        "successful_probes_guarded": gu["successful_probes"],
        "successful_attacks_unguarded": un["successful_attacks"],
        "loop_s_per_task_unguarded": ov["loop_s_per_task_unguarded"],
        "loop_s_per_task_noop": ov["loop_s_per_task_noop"],
        "loop_s_per_task_guarded": ov["loop_s_per_task_guarded"],
        "seconds": time.perf_counter() - t0,
        "quick": bool(args.quick),
    }
    _print(figures)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    return 0


def _print(f: dict[str, Any]) -> None:
    print(f"privacy benchmark: {f['tasks']} tasks, {f['attacks']} attacks (+{f['limit_probes']} limit probes, "
          f"+{f['held_out_attacks']} held-out attacks, +{f['reading_tasks']} tasks that work on a private value), "
          f"{f['pairs']} task x attack pairs, {f['exposed_pairs']} with the injection read")
    print(f"{'':32}{'without guard':>15}{'with guard':>15}{'strict context':>16}")
    rows = [("utility without attack", "utility"),
            ("utility under attack", "utility_under_attack"),
            ("  of the pairs that read it", "utility_under_attack_exposed"),
            ("attack success rate", "asr"),
            ("limit-probe success rate", "probe_asr"),
            ("held-out attack success rate", "asr_held_out"),
            ("tasks that work on a private value", "utility_reading"),
            ("utility, all tasks together", "utility_all")]
    for name, key in rows:
        print(f"{name:32}{f[key + '_unguarded']:>15.1%}{f[key + '_guarded']:>15.1%}{f[key + '_strict']:>16.1%}")
    print(f"{'utility ratio (guard / none)':32}{'':>15}{f['utility_ratio_guarded']:>15.3f}{f['utility_ratio_strict']:>16.3f}")
    if f.get("quick"):
        print("(--quick: a smoke test; its overhead figures, of 10 tasks and 3 repeats, are noise)")
    print(f"label overhead (a no-op guard + labels + privacy guard vs the no-op guard alone): {f['label_overhead_ratio']:.3f}x "
          f"(best-of {f['label_overhead_ratio_best']:.3f}x); vs no guard at all: {f['guard_overhead_ratio']:.3f}x "
          f"(best-of {f['guard_overhead_ratio_best']:.3f}x); median ms per task: "
          f"{f['loop_s_per_task_unguarded'] * 1e3:.2f} none, {f['loop_s_per_task_noop'] * 1e3:.2f} no-op guard, "
          f"{f['loop_s_per_task_guarded'] * 1e3:.2f} privacy guard")
    print(f"the privacy guard alone (labels + privacy guard, no other guard) vs no guard at all: "
          f"{f['privacy_alone_overhead_ratio']:.3f}x ({f['loop_s_per_task_privacy'] * 1e3:.2f} ms per task)")
    print(f"the same loop with an in-memory checkpointer (needed to ask a person): label overhead "
          f"{f['label_overhead_ratio_checkpointed']:.3f}x, vs no guard at all {f['guard_overhead_ratio_checkpointed']:.3f}x")
    print(f"the same loop on vfa demo's embedded defaults (journal and checkpoints in SQLite files): label overhead "
          f"{f['label_overhead_ratio_files']:.3f}x, vs no guard at all {f['guard_overhead_ratio_files']:.3f}x "
          f"({f['loop_s_per_task_noop_files'] * 1e3:.2f} ms per task with the no-op guard)")
    print(f"tasks failed with the guard: {', '.join(f['failed_tasks_guarded']) or 'none'}")
    print(f"attacks that succeeded with the guard: {', '.join(f['successful_attacks_guarded']) or 'none'}; "
          f"limit probes (documented residuals) that did: {', '.join(f['successful_probes_guarded']) or 'none'}")
    print(f"held-out attacks that succeeded with the guard: {', '.join(f['successful_held_out_guarded']) or 'none'}")
    print(f"strict context (context_taint=\"private\"): tasks failed: {', '.join(f['failed_tasks_strict']) or 'none'}; "
          f"attacks that succeeded: {', '.join(f['successful_attacks_strict']) or 'none'}; held-out attacks that did: "
          f"{', '.join(f['successful_held_out_strict']) or 'none'}; limit probes that did: "
          f"{', '.join(f['successful_probes_strict']) or 'none'}")


if __name__ == "__main__":
    raise SystemExit(main())
