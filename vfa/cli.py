"""The `vfa` command: `vfa demo`, `vfa journal PATH`, `vfa bench NAME`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.types import Command

    from ._demo import build_demo_agent, print_new
    from ._tracing import configure_tracing

    workdir = Path(args.dir)
    workdir.mkdir(parents=True, exist_ok=True)
    trace_path = workdir / "trace.jsonl"
    provider = configure_tracing(trace_path, service_name="vfa-demo")
    agent, ledger = build_demo_agent(workdir)
    thread = args.thread
    print(f"vfa demo: a payments agent (balance {ledger.balance}); every tool call is verified before it commits\n")
    seen = len(agent.journal.entries(thread))
    with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
        app = agent.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": thread}}
        state = app.get_state(config)
        if state.values.get("messages") and not state.interrupts:
            print(f"the demo already ran on thread {thread!r} in {workdir}; the ledger's balance is {ledger.balance}.\n"
                  f"See what it did with `vfa journal {workdir / 'journal.db'}`; run it again on a new thread with "
                  f"`vfa demo --dir {workdir} --thread NAME`, or remove {workdir} to start over.")
            return 0
        payload: object = {"messages": [("user", "Pay the rent (100) and alice for dinner (80), then bob 10 for coffee.")]}
        if state.interrupts:  # a run stopped at a question: it is asked again, and the run goes on from there
            print(f"thread {thread!r} waits for an answer; going on from there\n")
            for question in state.interrupts:
                print(f"  ? person asked: {question.value['question']}")
            payload = None
        while True:
            if payload is not None:
                for update in app.stream(payload, config, stream_mode="updates"):
                    seen = print_new(agent.journal, thread, seen, print)
                    for question in update.get("__interrupt__", ()):
                        print(f"  ? person asked: {question.value['question']}")
            state = app.get_state(config)
            if not state.interrupts:
                break
            answer = "approve" if args.yes or not sys.stdin.isatty() else (
                input("  approve / reject? ").strip() or "approve")
            print(f"  ! person answers: {answer}")
            payload = Command(resume={"type": answer})
        final = app.get_state(config).values["messages"][-1].content
    provider.force_flush()
    print(f"\nmodel: {final}")
    print(f"balance now {ledger.balance}")
    print(f"journal:    {workdir / 'journal.db'}   (vfa journal {workdir / 'journal.db'})")
    print(f"trace:      {trace_path}")
    print(f"checkpoints: {workdir / 'checkpoints.db'}")
    return 0


def _journal(args: argparse.Namespace) -> int:
    from ._demo import describe, printable
    from ._exceptions import JournalError
    from ._journal import EffectJournal

    path = Path(args.path)
    if not path.exists():
        print(f"vfa journal: no journal at {path}", file=sys.stderr)
        return 2
    try:  # read-only: a command that prints changes nothing, in a vfa journal or any other database
        journal = EffectJournal(path, read_only="snapshot")
    except JournalError as exc:
        print(f"vfa journal: {exc}", file=sys.stderr)
        return 2
    thread = None
    for e in journal.entries(args.thread):
        if e.thread_id != thread:
            thread = e.thread_id
            print(f"thread {printable(thread)}")
        print(f"{e.seq:>5}  " + describe(e).replace("\n", "\n       "))  # a round's decisions under its number
    return 0


def _bench(args: argparse.Namespace) -> int:
    import importlib

    modules = {"privacy": "benchmarks.privacy.run", "overhead": "benchmarks.overhead",
               "z3": "benchmarks.z3_checks", "collision": "benchmarks.collision"}
    try:
        module = importlib.import_module(modules[args.name])
    except ImportError as exc:
        print(f"vfa bench: cannot load benchmark {args.name!r}: {exc}", file=sys.stderr)
        return 2
    return int(module.main(args.rest) or 0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `vfa` console script."""
    parser = argparse.ArgumentParser(prog="vfa", description="Agents whose tool calls are verified before they happen.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run a guarded agent end to end, offline")
    demo.add_argument("--dir", default=".vfa/demo", help="where the journal, checkpoints and trace go")
    demo.add_argument("--thread", default="demo")
    demo.add_argument("--yes", action="store_true", help="approve escalations without asking")
    journal = sub.add_parser("journal", help="print an effect journal")
    journal.add_argument("path")
    journal.add_argument("--thread", default=None)
    bench = sub.add_parser("bench", help="run a benchmark: privacy, overhead, z3, collision")
    bench.add_argument("name", choices=["privacy", "overhead", "z3", "collision"])
    bench.add_argument("rest", nargs=argparse.REMAINDER, help="options passed to the benchmark")
    args = parser.parse_args(argv)
    return {"demo": _demo, "journal": _journal, "bench": _bench}[args.command](args)
