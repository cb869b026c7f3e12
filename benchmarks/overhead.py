"""Overhead of the guard node: a 200-step tool loop, plain LangGraph vs vfa, in one process.

(a) plain: model node, LangGraph's ToolNode, tools_condition, SqliteSaver on a temporary file.
(b) vfa: the same model and tools as a vfa Agent with three cheap deterministic guards, the same
    checkpointer, and its effect journal on a temporary SQLite file.
(c) as (b) with spans written to a local JSONL file.
(d) as (b) with the three guards declared `inline=True` (no thread handoff, no deadline).

Prints per-action time for each and the ratios; `--json PATH` writes the headline figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from vfa import ALLOW, Agent, Deny, EffectJournal, effect, guard
from vfa import _tracing
from vfa.testing import ScriptedModel

from benchmarks import at_least, json_path


def make_model(steps: int) -> ScriptedModel:
    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return ("bump", {"n": turn % 7 + 1}) if turn < steps else "done"

    return ScriptedModel(rule=rule)


class Counter:
    def __init__(self) -> None:
        self.value = 0

    def bump(self, n: int) -> str:
        """Add n to the counter."""
        self.value += n
        return str(self.value)


def plain_graph(steps: int, saver: SqliteSaver, counter: Counter) -> Any:
    tools = [counter.bump]
    model = make_model(steps).bind_tools(tools)
    builder = StateGraph(MessagesState)
    builder.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    builder.add_node("tools", ToolNode(tools))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition)
    builder.add_edge("tools", "agent")
    return builder.compile(checkpointer=saver)


def cheap_guards(inline: bool = False) -> list[Any]:
    @guard(inline=inline)
    def allowlist(p, c):
        return ALLOW if p.tool in ("bump",) else Deny(reason=f"{p.tool} is not allowed")

    @guard(inline=inline)
    def bounded(p, c):
        return ALLOW if 0 < p.args["n"] <= 10 else Deny(reason="n out of range")

    @guard(inline=inline)
    def budget(p, c):
        return ALLOW if c.world["spent"] < 10**9 else Deny(reason="budget exhausted")

    return [allowlist, bounded, budget]


def vfa_graph(steps: int, saver: SqliteSaver, counter: Counter, journal: EffectJournal, inline: bool = False) -> Any:
    bump = effect(counter.bump)
    agent = Agent(make_model(steps), [bump], cheap_guards(inline), journal=journal,
                  world=lambda: {"spent": counter.value})
    return agent.compile(checkpointer=saver)


def run_once(kind: str, steps: int, workdir: Path, rep: int) -> float:
    """Seconds per action of one run. With vfa's spans going to a provider of its own (the traced run), the
    clock stops once they are written: the exporter is batched, and its worker would write the rest during
    the runs that follow (the baseline's among them)."""
    counter = Counter()
    provider = _tracing._state.provider
    with ExitStack() as files:  # the checkpointer and the journal closed when the run ends, outside its time
        saver = files.enter_context(SqliteSaver.from_conn_string(str(workdir / f"{kind}-{rep}.db")))
        if kind == "plain":
            app = plain_graph(steps, saver, counter)
        else:
            journal = EffectJournal(workdir / f"{kind}-{rep}-journal.db")
            files.callback(journal.close)
            app = vfa_graph(steps, saver, counter, journal, inline=kind == "vfa-inline")
        config = {"configurable": {"thread_id": f"{kind}-{rep}"}, "recursion_limit": 4 * steps + 10}
        t0 = time.perf_counter()
        out = app.invoke({"messages": [("user", "count")]}, config)
        if provider is not None:
            provider.force_flush()
        elapsed = time.perf_counter() - t0
    actions = sum(1 for m in out["messages"] if m.type == "tool")
    if actions != steps or out["messages"][-1].content != "done":
        raise RuntimeError(f"{kind}: ran {actions} actions, expected {steps}")
    return elapsed / steps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=at_least(1), default=200)
    ap.add_argument("--reps", type=at_least(1), default=5)
    ap.add_argument("--quick", action="store_true", help="a few steps, for the smoke test")
    ap.add_argument("--json", type=json_path, help="write the headline figures here")
    args = ap.parse_args(argv)
    steps, reps = (10, 1) if args.quick else (args.steps, args.reps)
    times: dict[str, list[float]] = {"plain": [], "vfa": [], "vfa+trace": [], "vfa-inline": []}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        provider = _tracing.configure_tracing(workdir / "trace.jsonl", set_global=False, otlp=False)
        _tracing.use_tracer_provider(None)  # vfa's spans go to `provider` in (c) alone
        run_once("plain", 5, workdir, -1)  # warm imports and caches on both paths
        run_once("vfa", 5, workdir, -1)
        for rep in range(reps):  # interleaved, so drift in the machine hits all three alike
            times["plain"].append(run_once("plain", steps, workdir, rep))
            times["vfa"].append(run_once("vfa", steps, workdir, rep))
            _tracing.use_tracer_provider(provider)
            times["vfa+trace"].append(run_once("vfa+trace", steps, workdir, rep))
            _tracing.use_tracer_provider(None)
            times["vfa-inline"].append(run_once("vfa-inline", steps, workdir, rep))
        provider.shutdown()  # its file closed before the folder goes
        spans = sum(1 for _ in (workdir / "trace.jsonl").open())
    med = {k: statistics.median(v) for k, v in times.items()}
    guarded, traced = med["vfa"] / med["plain"], med["vfa+trace"] / med["plain"]
    inline = med["vfa-inline"] / med["plain"]
    print(f"{steps}-step tool loop, median of {reps} runs (per action, model + tool + checkpoint)")
    print(f"{'graph':<34}{'per action':>12}{'ratio':>8}")
    print(f"{'(a) LangGraph ToolNode':<34}{med['plain'] * 1e3:>10.3f}ms{1.0:>8.2f}")
    print(f"{'(b) vfa, 3 guards + journal':<34}{med['vfa'] * 1e3:>10.3f}ms{guarded:>8.2f}")
    print(f"{'(c) vfa, + spans to a JSONL file':<34}{med['vfa+trace'] * 1e3:>10.3f}ms{traced:>8.2f}")
    print(f"{'(d) vfa, the 3 guards inline':<34}{med['vfa-inline'] * 1e3:>10.3f}ms{inline:>8.2f}")
    print(f"spans written in (c): {spans}")
    if args.json:
        args.json.write_text(json.dumps({
            "ratio_guarded_over_unguarded": round(guarded, 4),
            "ratio_traced_over_unguarded": round(traced, 4),
            "ratio_inline_guards_over_unguarded": round(inline, 4),
            "per_action_unguarded_s": med["plain"],
            "per_action_guarded_s": med["vfa"],
            "per_action_traced_s": med["vfa+trace"],
            "per_action_inline_guards_s": med["vfa-inline"],
            "steps": steps,
            "reps": reps,
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
