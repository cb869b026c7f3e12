"""A number in exponent form followed by a long run of white space is read in time quadratic
in the run: a 60 KB argument holds the privacy check for minutes, a 1 MB web page for hours.

The patterns that read "7.805112 x 10^(7)" (`_forms._EXPONENT`, for arguments, and `_results._RAISED`, for
a result's numbers) end their "× 10^" branch with `\\s*[({]?` and go on with `\\s*\\+?(\\d{1,3})`: without a
bracket the two `\\s*` stand side by side, and where no digit follows the run, the engine tries every way
to share the run between them. "1x10^" + 20,000 spaces + "z" took 5.5 s to scan; 10,000 took 1.4 s.

- An argument: a compromised model (or an injection) mails bob "1x10^" + 10,000 spaces + "z" after reading
  the W-2: the call is checked in 8.8 s (5,000 spaces: 2.4 s), and 60,000 spaces fit in the 64 KiB
  `max_arg_bytes` (~5 minutes). No model is needed for the other:
- A result: an attacker's page holding "8.43x10^" + 10,000 spaces on a thread that holds a number's handle
  (a salary) is labelled in 1.4 s; a 1 MB page would hold the tool node for hours.

docs/privacy.md "Bounded work": labelling runs inline, with no deadline, so what it reads costs time linear in its
length. Each case runs in a child process killed at the bound.

Fixed: the branch's optional bracket takes the white space before it with it (`(?:\\s*[({])?`), so one `\\s*`
reads a run: the same numbers are read, in linear time.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from test_privacy_cut_within import W2, _send

from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from guards._forms import _EXPONENT, _written_out
from guards._results import _RAISED
from vfa import Agent
from vfa.testing import ScriptedModel

BOUND_S = 5.0


def _in_child(target: Any, *args: Any) -> tuple[bool, Any, float]:
    """Run `target(conn, *args)` in a child process: whether it answered within `BOUND_S`, its answer, the time."""
    ctx = multiprocessing.get_context("fork")  # killed at the bound: a scan that runs on stops nothing else
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=target, args=(child, *args), daemon=True)
    t0 = time.perf_counter()
    proc.start()
    try:
        finished = parent.poll(BOUND_S)
        return finished, parent.recv() if finished else None, time.perf_counter() - t0
    finally:
        proc.kill()
        proc.join()


def _mail(conn: Any, body: str) -> None:
    conn.send(_send(W2, "notes", body)[1])


def test_an_exponent_before_a_long_blank_run_in_an_argument() -> None:
    body = "1x10^" + " " * 60_000 + "z"  # 60 KB: within `max_arg_bytes`
    finished, outcome, took = _in_child(_mail, body)
    assert finished, f"checking one {len(body):,}-character argument did not end in {took:.0f} s"
    assert outcome in ("committed", "denied")


@privacy_source(private=["salary"], kind="person", key="id")
def read_people() -> list:
    """The people table."""
    return [{"id": 1, "name": "Emma Stone", "salary": 84300}]


PAGE = "Salaries: about 8.43x10^" + " " * 1_000_000 + "z"


@privacy_source(untrusted=True)
def fetch_page(url: str) -> str:
    """A web page, written by whoever wrote it."""
    return PAGE


def _read(conn: Any) -> None:
    steps = [("read_people", {}), ("fetch_page", {"url": "https://news.example"})]

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return steps[turn] if turn < len(steps) else "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt158")
    app = Agent(ScriptedModel(rule=rule), [read_people, fetch_page], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Read the news.")]}, {"configurable": {"thread_id": "t"}})
    conn.send(next(m.artifact["vfa"]["outcome"] for m in out["messages"]
                   if isinstance(m, ToolMessage) and m.name == "fetch_page"))


def test_an_exponent_before_a_long_blank_run_in_a_page() -> None:
    finished, outcome, took = _in_child(_read)
    assert finished, f"labelling a {len(PAGE):,}-character page did not end in {took:.0f} s"
    assert outcome == "ran"


def test_the_exponent_forms_are_read_as_before() -> None:
    for text, digits in [("7.805112 x 10^(7)", "78051120"), ("7.805112 x 10^ ( 7 )", "78051120"),
                         ("7.805112*10** 7", "78051120"), ("7.805112\\times10^{7}", "78051120"),
                         ("7805112 E1", "78051120"), ("8.43 × 10 ^ +4", "84300")]:
        assert digits in (_written_out(text) or ""), text
    assert _EXPONENT.search("1x10^ (z") is None and _EXPONENT.search("1x10^" + " " * 50 + "z") is None
    assert [m.groups() for m in _RAISED.finditer("8.43x10^ (4) and 8,43E+04 and 8.43·10^ -2")] == [
        ("8", "43", "4"), ("8", "43", "+04"), ("8", "43", "-2")]
