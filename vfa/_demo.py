"""The `vfa demo` scenario: a payments agent whose model overspends, repairs, and needs a person once."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

try:
    import fcntl
except ImportError:  # not on Windows: runs on one folder are not held apart there
    fcntl = None  # type: ignore[assignment]

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.config import get_config

from ._compile import Agent
from ._effects import effect
from ._guard import guard
from ._journal import EffectJournal, JournalEntry
from ._verdict import ALLOW, Deny, Escalate, Repair

__all__ = ["Ledger", "LedgerError", "build_demo_agent"]


class LedgerError(ValueError):
    """The demo's ledger file cannot be read as a ledger."""


class Ledger:
    """The demo's world: a balance, known payees and a per-transfer limit; kept in `path` if given, so
    that a later run sees what earlier runs' commits did, as the journal does."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.balance = 300
        self.payees = {"landlord", "alice"}
        self.limit = 100
        self.paid: dict[str, dict[str, str]] = {}
        """Thread id -> call id -> what the payment answered: saved with the balance it changed, in one
        write, so a payment run again after a crash (its outcome never journaled) is found paid."""
        self._mutex = threading.RLock()
        self._held = 0
        self.reload()

    def reload(self) -> None:
        """Read the ledger from its file, if it has one: another `vfa demo` on the folder may have paid since."""
        path = self.path
        if path is None or not path.exists():
            return
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
            balance, payees, limit = kept["balance"], kept["payees"], kept["limit"]
            paid = kept.get("paid", {})  # (a ledger saved before payments were keyed has none)
            # as written, never converted: int() cuts 100.7 to 100 and set() reads "alice" as its letters
            if not all(type(v) is int for v in (balance, limit)) or not isinstance(payees, list) \
                    or not all(isinstance(p, str) for p in payees):
                raise TypeError("balance and limit must be integers and payees a list of names")
            if not isinstance(paid, dict) or not all(isinstance(calls, dict) and all(
                    isinstance(c, str) and isinstance(r, str) for c, r in calls.items()) for calls in paid.values()):
                raise TypeError("paid must map each thread to its calls' answers")
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:  # said, never rewritten: it is the world
            raise LedgerError(f"the ledger at {str(path)!r} cannot be read ({type(exc).__name__}: {exc})") from exc
        self.balance, self.payees, self.limit, self.paid = balance, set(payees), limit, paid

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the ledger's folder against the other `vfa demo` runs on it (read, check and save as one)."""
        with self._mutex:  # re-entrant: the world is read inside a payment too, and flock would wait on itself
            fd = None
            if not self._held and self.path is not None and fcntl is not None:
                fd = os.open(self.path.parent, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1
                if fd is not None:
                    os.close(fd)  # and the lock with it

    def save(self) -> None:
        """Write the ledger to its file (whole or not at all: a crash leaves the last saved one)."""
        if self.path is not None:
            partial = self.path.with_name(self.path.name + ".partial")
            # its owner's alone, as the journal is: `paid` holds what each payment returned
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
                out.write(json.dumps({**self._state(), "paid": self.paid}))
                out.flush()
                os.fsync(out.fileno())  # on disk before it replaces the last one: a power cut leaves one whole
            os.replace(partial, self.path)

    def snapshot(self) -> dict[str, Any]:
        """What guards see of the world: as its file says now."""
        with self.locked():
            self.reload()
            return self._state()

    def _state(self) -> dict[str, Any]:
        return {"balance": self.balance, "payees": sorted(self.payees), "limit": self.limit}


def _policy_model(messages: list[Any]) -> Any:
    """A rule-based stand-in for an LLM: pays the bills, and repairs a plan when a guard says why."""
    turn = sum(isinstance(m, AIMessage) for m in messages)
    last = messages[-1]
    if isinstance(last, ToolMessage) and last.status == "error":
        verdict = (last.artifact or {}).get("vfa", {}).get("verdict", {})
        room = verdict.get("evidence", {}).get("limit")
        denied = next(m for m in reversed(messages) if isinstance(m, AIMessage)).tool_calls[0]
        if room:  # follow the guard's evidence: propose the same payment, cut to the limit
            return ("transfer", {**denied["args"], "amount": room, "memo": denied["args"]["memo"] + ", first part"})
        return f"Stopped: {last.content}"  # a denial with nothing to repair ends the plan; the person is told why
    plan = [
        ("get_balance", {}),
        ("transfer", {"to": "landlord", "amount": 100, "memo": "rent"}),
        ("transfer", {"to": "alice", "amount": 150, "memo": "dinner"}),
        None,  # the repair turn, handled above
        ("transfer", {"to": "bob", "amount": 10, "memo": "coffee"}),
    ]
    if turn < len(plan) and plan[turn] is not None:
        return plan[turn]
    sent = [str(m.content).split(";")[0] for m in messages if isinstance(m, ToolMessage) and m.name == "transfer"
            and m.status != "error"]
    return "Done: " + ("; ".join(sent) if sent else "nothing was sent") + "."


def build_demo_agent(workdir: Path) -> tuple[Agent, Ledger]:
    """The agent `vfa demo` runs, with its journal in `workdir`."""
    ledger = Ledger(workdir / "ledger.json")

    def get_balance() -> dict[str, Any]:
        """Read the current balance and known payees."""
        return ledger.snapshot()

    # idempotent: the ledger saves each payment with its call's key, so one run again after a crash (killed
    # between the ledger's save and the journal's record of it) answers as it did, and pays nothing twice
    @tool
    @effect(idempotent=True)
    def transfer(to: str, amount: int, call_id: Annotated[str, InjectedToolCallId], memo: str = "") -> str:
        """Send `amount` to payee `to`."""
        thread = str(get_config()["configurable"]["thread_id"])
        with ledger.locked():  # the guards read the balance before: another `vfa demo` may have spent it since
            ledger.reload()
            done = ledger.paid.get(thread, {}).get(call_id)
            if done is not None:
                return done
            if amount > ledger.balance:
                raise LedgerError(f"the balance is now {ledger.balance}, less than {amount}: nothing was sent")
            before = ledger.balance, set(ledger.payees), ledger.paid
            ledger.balance -= amount
            ledger.payees.add(to)
            sent = f"sent {amount} to {to} ({memo}); balance {ledger.balance}"
            ledger.paid = {**ledger.paid, thread: {**ledger.paid.get(thread, {}), call_id: sent}}
            try:
                ledger.save()
            except BaseException:  # not saved, not paid: the world stays as its file says, as the journal will
                ledger.balance, ledger.payees, ledger.paid = before
                raise
        return sent

    @guard
    def positive_amount(p, c):
        if p.tool == "transfer" and p.args["amount"] <= 0:
            return Deny(reason=f"amount must be positive, got {p.args['amount']}")
        return ALLOW

    @guard
    def within_balance(p, c):
        if p.tool == "transfer" and p.args["amount"] > c.world["balance"]:
            return Deny(reason=f"amount {p.args['amount']} exceeds balance {c.world['balance']}",
                        evidence={"amount": p.args["amount"], "balance": c.world["balance"]})
        return ALLOW

    @guard
    def within_limit(p, c):
        if p.tool == "transfer" and p.args["amount"] > c.world["limit"]:
            return Repair(reason=f"amount {p.args['amount']} exceeds the per-transfer limit {c.world['limit']}",
                          hint=f"send at most {c.world['limit']} now",
                          evidence={"amount": p.args["amount"], "limit": c.world["limit"]})
        return ALLOW

    @guard
    def new_payee(p, c):
        if p.tool == "transfer" and p.args["to"] not in c.world["payees"]:
            return Escalate(question=f"{p.args['to']!r} is a new payee: send {p.args['amount']}?",
                            evidence={"known_payees": c.world["payees"]})
        return ALLOW

    from .testing import ScriptedModel

    agent = Agent(ScriptedModel(rule=_policy_model), [get_balance, transfer],
                  [positive_amount, within_balance, within_limit, new_payee], name="payments",
                  world=ledger.snapshot, journal=EffectJournal(workdir / "journal.db"))
    return agent, ledger


def _decision_line(d: dict[str, Any]) -> str:
    v = d["verdict"]
    detail = v.get("reason") or v.get("question") or ""
    return f"  verdict   {d['guard']:<16} {v['kind']:<8} {detail}".rstrip() + f"  ({d['latency_s'] * 1e6:.0f} µs)"


def describe(entry: JournalEntry) -> str:
    """One journal entry as a line of the demo's (and `vfa journal`'s) output (a round's verdicts, a
    line each), control and format characters escaped: the journal holds what a model wrote (a tool
    name, a call id), which must not print as lines or terminal escapes of its own."""
    return "\n".join(printable(line) for line in _described(entry))


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
                          "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd"
                          "\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
"""Unicode's control (Cc) and format (Cf) characters, line and paragraph separators and lone surrogates; and
the tags and variation selectors of plane 14 (U+E0000-U+E0FFF), which show nothing: text no one sees."""


def printable(text: str) -> str:
    """`text` with every control and format character (line breaks, terminal escapes, bidi overrides)
    written as its escape."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def _described(entry: JournalEntry) -> list[str]:
    data = entry.data
    kind = entry.kind
    if kind == "proposed":
        return [f"propose   {entry.tool}({_args(data.get('args'))})  [{entry.call_id}]"]
    if kind == "verdicts":
        return [_decision_line(d) for d in data["decisions"]]
    if kind == "verdict":  # journals written before a round's decisions shared one entry
        return [_decision_line(data)]
    if kind in ("started", "restarted"):
        return [f"  {kind:<10}{entry.tool}  (write-ahead record)"]
    if kind in ("committed", "ran"):
        return [f"  {kind:<10}{entry.tool} -> {json.dumps(data.get('result'), default=repr)[:100]}"]
    if kind in ("denied", "escalated"):
        extra = data.get("hint") and f"; hint: {data['hint']}" or ""
        return [f"  {kind:<10}by {data.get('guard')!r}: {data.get('reason') or data.get('question')}{extra}"]
    return [f"  {kind:<10}{json.dumps(data, default=repr)[:120]}"]


def _args(args: Any) -> str:
    if not isinstance(args, dict):
        return repr(args)[:80]
    return ", ".join(f"{k}={v!r}" for k, v in args.items())


def print_new(journal: EffectJournal, thread_id: str, seen: int, out: Callable[[str], None]) -> int:
    """Print the journal entries after `seen`; returns the new count."""
    entries = journal.entries(thread_id)
    for e in entries[seen:]:
        out(describe(e))
    return len(entries)
