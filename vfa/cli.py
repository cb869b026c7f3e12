"""The `vfa` command: `vfa demo`, `vfa journal PATH`, `vfa bench NAME`."""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from ._demo import LedgerError, printable
    from ._exceptions import JournalError

    thread = args.thread
    if not _text(thread):
        print(f"vfa demo: --thread {thread!r} is not valid text (its bytes are not UTF-8)", file=sys.stderr)
        return 2
    workdir = Path(args.dir)
    try:
        workdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"vfa demo: cannot make the folder {workdir} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    trace_path = workdir / "trace.jsonl"
    try:
        return _run_demo(args, workdir, trace_path)
    except KeyboardInterrupt:  # a Ctrl-C outside the run's steps (starting, or a second one): nothing half done
        print("vfa demo: stopped (Ctrl-C); run the same command again to go on from where this run stopped",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # `vfa demo | head`: the run stops between steps, and the next one goes on from there
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a file of the folder (the trace) it cannot open; others (a closed pipe) are not said so
        if exc.filename is None:
            raise
        print(f"vfa demo: cannot use {exc.filename} ({exc.strerror or exc}); fix it and run the same command again",
              file=sys.stderr)
    except (JournalError, LedgerError) as exc:  # their messages name the file, or a row of the journal's
        where = "" if str(workdir) in str(exc) else f" (in {workdir / 'journal.db'})"
        # printable: a message may quote what the file holds (another app's column names)
        print(f"vfa demo: {printable(str(exc))}{where}; fix it and run the same command again to go on from where "
              "this run stopped", file=sys.stderr)
    except sqlite3.Error as exc:  # the journal wraps its own errors: this one is the checkpointer's
        print(f"vfa demo: the checkpoints at {workdir / 'checkpoints.db'} cannot be used ({printable(str(exc))}); fix "
              "them and run the same command again to go on from where this run stopped", file=sys.stderr)
    return 2


def _run_demo(args: argparse.Namespace, workdir: Path, trace_path: Path) -> int:
    """The demo's run; its tracer provider and journal are the run's alone: shut down and closed when it
    returns, and vfa's spans go where they went before (`main` may run inside an application, or twice)."""
    from langsmith import tracing_context

    from ._tracing import provider_kept

    # offline, as the README says: LangChain would upload the run (what tools were given and returned) to
    # LangSmith where the environment turns its tracing on (`LANGSMITH_TRACING=true`)
    with provider_kept(), tracing_context(enabled=False), ExitStack() as held:
        return _demo_run(args, workdir, trace_path, held)


def _demo_run(args: argparse.Namespace, workdir: Path, trace_path: Path, held: ExitStack) -> int:
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.types import Command

    from ._demo import build_demo_agent, print_new, printable
    from ._exceptions import ConfigError
    from ._journal import owners_file
    from ._tracing import configure_tracing

    thread = args.thread
    service = os.environ.get("OTEL_SERVICE_NAME") or "vfa-demo"  # a name the operator gave wins, as the README says
    try:
        try:  # vfa's own provider, not the process's: `main` may run inside an application, or twice
            provider = configure_tracing(trace_path, service_name=service, set_global=False)
        except ImportError as exc:  # an OTLP endpoint set for other apps: the demo's own trace is its file
            print(f"vfa demo: {exc}; its spans go to {trace_path} only", file=sys.stderr)
            # inside the outer try: the file alone may meet the same refused settings
            provider = configure_tracing(trace_path, service_name=service, set_global=False, otlp=False)
    except ConfigError as exc:  # its trace file is a folder: named, as a file of the folder it cannot open is
        print(f"vfa demo: {exc}; fix it and run the same command again", file=sys.stderr)
        return 2
    except ValueError as exc:  # the SDK refuses a setting it read (OTEL_BSP_MAX_QUEUE_SIZE=0), naming its own argument
        named = ", ".join(sorted(k for k in os.environ if k.startswith("OTEL_")))
        print(f"vfa demo: OpenTelemetry cannot use the settings of the environment ({exc}); check {named}",
              file=sys.stderr)
        return 2
    held.callback(provider.shutdown)  # its export thread and its file: the run's alone
    refused = _foreign_checkpoints(workdir / "checkpoints.db")
    if refused:  # before the journal is made: nothing of this run is left beside it
        print(f"vfa demo: {printable(refused)}; move it away or use another --dir", file=sys.stderr)
        return 2
    agent, ledger = build_demo_agent(workdir)
    held.callback(agent.journal.close)  # opened by the demo, given to the agent open
    print(f"vfa demo: a payments agent (balance {ledger.balance}); every tool call is verified before it commits\n")
    seen = len(agent.journal.entries(thread))
    owners_file(workdir / "checkpoints.db")  # it holds the messages, what tools returned among them, as the journal does
    with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
        app = agent.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": thread}}
        state = app.get_state(config)
        # finished: no task left (a step whose writes were saved before the checkpoint after it shows no
        # `next` node, yet its thread has not finished)
        if state.values.get("messages") and not state.tasks:
            print(f"the demo already ran on thread {thread!r} in {workdir}; the ledger's balance is {ledger.snapshot()['balance']}.\n"
                  f"See what it did with `vfa journal {workdir / 'journal.db'}`; run it again on a new thread with "
                  f"`vfa demo --dir {workdir} --thread NAME`, or remove {workdir} to start over.")
            return 0
        payload: object = {"messages": [("user", "Pay the rent (100) and alice for dinner (80), then bob 10 for coffee.")]}
        if state.interrupts:  # a run stopped at a question: it is asked again, and the run goes on from there
            print(f"thread {thread!r} waits for an answer; going on from there\n")
            for question in state.interrupts:
                print(f"  ? person asked: {_asked(question)}")
            payload = None
        elif state.tasks:  # a run stopped between its steps (Ctrl-C, a failed write): the journal runs no payment twice
            print(f"thread {thread!r} stopped before it finished; going on from there\n")
            payload = None
        run = not state.interrupts  # a run stopped at a question streams once it is answered
        with _CtrlC() as ctrl_c:
            while True:
                if run:
                    steps = app.stream(payload, config, stream_mode="updates")
                    try:
                        for update in steps:
                            seen = print_new(agent.journal, thread, seen, print)
                            for question in update.get("__interrupt__", ()):
                                print(f"  ? person asked: {_asked(question)}")
                            if ctrl_c.pressed:
                                break
                    finally:
                        steps.close()
                state = app.get_state(config)
                if ctrl_c.pressed and state.tasks:  # (pressed during the last step, the run has finished)
                    print("vfa demo: stopped between its steps (Ctrl-C); run the same command again to go on from "
                          "there", file=sys.stderr)
                    return 130
                if not state.interrupts:
                    break
                try:
                    with ctrl_c.at_once():  # nothing runs while the person is asked
                        answer = _answer(args.yes)
                except KeyboardInterrupt:
                    print("vfa demo: stopped at its question (Ctrl-C); run the same command again to answer it",
                          file=sys.stderr)
                    return 130
                print(f"  ! person answers: {answer}")
                payload, run = Command(resume={"type": answer}), True
        final = app.get_state(config).values["messages"][-1].content
    provider.force_flush()
    print(f"\nmodel: {printable(str(final))}")  # the model's words quote what tools returned
    # as the ledger's file says: another `vfa demo` on the folder may have paid since this one last read it
    print(f"balance now {ledger.snapshot()['balance']}")
    print(f"journal:    {workdir / 'journal.db'}   (vfa journal {workdir / 'journal.db'})")
    print(f"trace:      {trace_path}")
    print(f"checkpoints: {workdir / 'checkpoints.db'}")
    return 0


def _asked(question: Any) -> str:
    """A pending question's text, printable (a question a guard words may quote what a tool returned)."""
    from ._demo import printable

    value = getattr(question, "value", None)
    text = value.get("question") if isinstance(value, dict) else value
    return printable(text if isinstance(text, str) else repr(text))


_CHECKPOINT_KEYS = ("thread_id", "checkpoint_ns", "checkpoint_id")
"""Columns LangGraph's `SqliteSaver` keys both its tables by (it adds others it lacks, never these)."""


def _foreign_checkpoints(path: Path) -> str | None:
    """Why the SQLite file at `path` holds another app's table where `SqliteSaver` keeps its own, or None:
    read only, as `SqliteSaver` would switch the file to WAL and add its tables before it failed on one.
    A file that is no SQLite database raises `sqlite3.Error` (said as the checkpoints' error)."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for table in ("checkpoints", "writes"):
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            if columns and not set(_CHECKPOINT_KEYS) <= set(columns):
                return (f"the checkpoints at {path} are another app's database: its table '{table}' is no "
                        f"LangGraph checkpoint table (its columns: {', '.join(map(str, columns))})")
    finally:
        db.close()
    return None


def _journal(args: argparse.Namespace) -> int:
    from ._demo import describe, printable
    from ._exceptions import JournalError
    from ._journal import EffectJournal

    path = Path(args.path)
    try:  # not exists(): on Python 3.11 it raises for a name too long or a folder it may not search
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        print(f"vfa journal: no journal at {path}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"vfa journal: cannot read {path} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    try:  # read-only: a command that prints changes nothing, in a vfa journal or any other database
        journal = EffectJournal(path, read_only="snapshot")
    except JournalError as exc:
        print(f"vfa journal: {printable(str(exc))}", file=sys.stderr)
        return 2
    if args.thread is not None and not _text(args.thread):  # no thread of the journal's can be named so
        print(f"vfa journal: --thread {args.thread!r} is not valid text (its bytes are not UTF-8)", file=sys.stderr)
        return 2
    try:
        entries = journal.entries(args.thread)
    except JournalError as exc:  # damage past the first page shows only when the rows are read
        print(f"vfa journal: {printable(str(exc))}", file=sys.stderr)
        return 2
    if not entries:  # said, not a silent success: a mistyped thread name looks like an empty history
        if args.thread is None:
            print(f"vfa journal: the journal at {path} holds no entries", file=sys.stderr)
            return 0
        try:
            threads = journal.threads()
        except JournalError:
            threads = []
        known = ", ".join(printable(t) if isinstance(t, str) else repr(t) for t in threads[:5])
        more = f" and {len(threads) - 5} more" if len(threads) > 5 else ""
        print(f"vfa journal: no thread {printable(args.thread)!r} in {path} "
              f"({'its threads: ' + known + more if threads else 'it holds no entries'})", file=sys.stderr)
        return 1
    thread = None
    try:
        for e in entries:
            if e.thread_id != thread:
                thread = e.thread_id
                # a row another writer left may hold any SQLite type (a BLOB): shown by its repr
                print(f"thread {printable(thread if isinstance(thread, str) else repr(thread))}")
            try:
                shown = describe(e)
            except Exception as exc:  # noqa: BLE001 - one damaged row is said, the others still printed
                shown = printable(f"(an entry that cannot be read: {type(exc).__name__}: {exc})")
            print(f"{e.seq:>5}  " + shown.replace("\n", "\n       "))  # a round's decisions under its number
        sys.stdout.flush()
    except BrokenPipeError:  # `vfa journal ... | head`: the reader has seen enough
        # what is still buffered goes nowhere, not into a second error at exit (the Python docs' recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


class _CtrlC:
    """Ctrl-C during `vfa demo`'s run: the run stops after the step it is in. A KeyboardInterrupt raised
    wherever the run is can land inside LangGraph's executor while it starts a worker thread, which no
    one can then join: the process hangs at exit. A second Ctrl-C, or one at the question, stops at once."""

    def __init__(self) -> None:
        self.pressed = False
        self._now = False
        self._set = False
        self._before: Any = None

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():  # only there can a handler be set
            self._before = signal.signal(signal.SIGINT, self._handle)
            self._set = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._set:
            # None: a handler set outside Python, which cannot be put back; the default one is
            signal.signal(signal.SIGINT, signal.default_int_handler if self._before is None else self._before)

    def _handle(self, signum: int, frame: object) -> None:
        if self._now or self.pressed:
            raise KeyboardInterrupt
        self.pressed = True

    @contextmanager
    def at_once(self) -> Iterator[None]:
        self._now = True
        try:
            yield
        finally:
            self._now = False


def _answer(yes: bool) -> str:
    """The person's answer to a question: approve with `--yes`; else asked at the terminal until it is
    one of the two, and with no one at a terminal, reject (only a person approves)."""
    if yes:
        return "approve"
    if sys.stdin is None or not sys.stdin.isatty():  # None: started with its input closed (`vfa demo <&-`)
        print("  (no one at a terminal to answer, and no --yes: the question is rejected)")
        return "reject"
    while True:
        try:
            said = input("  approve / reject? ").strip().lower()
        except EOFError:
            return "reject"
        if said in ("approve", "reject"):
            return said


def _text(value: str) -> bool:
    """Whether a command-line argument is text (bytes that are not UTF-8 decode to lone surrogates)."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _bench(args: argparse.Namespace) -> int:
    import importlib

    modules = {"privacy": "benchmarks.privacy.run", "overhead": "benchmarks.overhead",
               "z3": "benchmarks.z3_checks", "collision": "benchmarks.collision",
               "long_thread": "benchmarks.privacy.long_thread"}
    try:
        module = importlib.import_module(modules[args.name])
    except ImportError as exc:
        print(f"vfa bench: cannot load benchmark {args.name!r}: {exc}", file=sys.stderr)
        return 2
    program, sys.argv[0] = sys.argv[0], f"vfa bench {args.name}"  # its usage names the command typed
    try:
        status = module.main(args.rest)
    finally:  # `main` may run inside another program (a test, a notebook): its argv is put back
        sys.argv[0] = program
    return status if isinstance(status, int) else 0  # a benchmark's main may return its figures


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `vfa` console script."""
    kept: list[tuple[Any, str]] = []
    for stream in (sys.stdout, sys.stderr):  # an output that cannot encode "µs" or a model's words gets escapes
        try:
            errors = stream.errors
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # none to reconfigure (a StringIO), or closed: as it is
            continue
        kept.append((stream, errors))
    try:
        return _main(argv)
    finally:
        for stream, errors in kept:  # the caller's streams as they were: main may run in its process
            try:
                stream.reconfigure(errors=errors)
            except (ValueError, OSError):
                pass


def _main(argv: list[str] | None) -> int:
    """The `vfa` command, its streams set to escape what they cannot encode."""
    parser = argparse.ArgumentParser(prog="vfa", description="Agents whose tool calls are verified before they happen.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run a guarded agent end to end, offline", description=(
        "Run a guarded agent end to end, offline: a payments agent whose every tool call is verified before it "
        "commits, paying from a ledger kept in --dir with its journal, checkpoints and trace. Run again, a "
        "finished thread is reported, not paid twice; a stopped one goes on from where it stopped."))
    demo.add_argument("--dir", default=".vfa/demo", help="where the journal, checkpoints, ledger and trace go")
    demo.add_argument("--thread", default="demo", help="the conversation to run or go on with (default: demo)")
    demo.add_argument("--yes", action="store_true",
                      help="approve escalations without asking (without it and a terminal, they are rejected)")
    journal = sub.add_parser("journal", help="print an effect journal", description=(
        "Print an effect journal (what `vfa demo` or an agent proposed, the guards' verdicts, what committed), "
        "read only: the file is never changed."))
    journal.add_argument("path", help="the journal's SQLite file (read only, never changed)")
    journal.add_argument("--thread", default=None, help="print this thread's entries only")
    bench = sub.add_parser("bench", help="run a benchmark: privacy, overhead, z3, collision, long_thread")
    bench.add_argument("name", choices=["privacy", "overhead", "z3", "collision", "long_thread"])
    bench.add_argument("rest", nargs=argparse.REMAINDER, help="options passed to the benchmark")
    args = parser.parse_args(argv)
    return {"demo": _demo, "journal": _journal, "bench": _bench}[args.command](args)
