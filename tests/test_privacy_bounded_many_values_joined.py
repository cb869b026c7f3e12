"""An argument holding thousands of a table's private values is labelled in time quadratic in
their number (5 s for 10,000; an audit of the call as long).

Input: a tool shows the model a table of N records, each keyed by its id and holding a private salary
(`kind="person", key="id"`: each record's label has a source of its own, `person:<id>`). The model then
mails the user a report listing every salary: 10,000 five-digit numbers, 60 KB, under the 64 KiB
`max_arg_bytes` (the user may read them all: nothing is denied). An attacker needs no values: 60 KB of
random digits holds about half of a table's five-digit numbers, and the privacy check of such a call to
bob took 4.4 s on a table of 8,000 (0.3 s on one of 2,000).

Value tracking finds the values in the text in time linear in it, then joins their labels one at a time
(`for value in idx.tracked_in(n): out = _join(out, tracked[value])` in `_found_label`, and so in
`_content_label`, `_digit_label`, `_runs_label`, ...): each join builds a new `Label` of the growing
union of sources, which pydantic validates again whole, so k values cost k². `PrivacyFlow.label` took
0.02 s for 2,000 values and 5.1 s for 10,000; `audit_trace` of the trace 6.9 s (0.7 s with a short mail
in its place). docs/privacy.md "Bounded work": labelling costs time linear in what it reads.

A sink's `refers` list is joined so too (`PrivacyGuard._referent`): a call to bob naming 8,000 records the
model read, by keys of three letters (56 KB), held the guard node 2.0-2.3 s (0.2 s for 2,000), ~2 s of it
joining their labels.

Fixed: more than a few labels found are joined in one step (`_observation._join_each`): 0.25 s, and the
audit 0.9 s; the call naming 8,000 records, 0.3-0.4 s (its records' labels, in 0.01 s).
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest

from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, PrivacyGuard, PrivacyPolicy, audit_trace, privacy_sink, privacy_source
from guards._privacy_decl import source_of
from vfa import ToolSpec, effect

ME = "me@home.example"


def _table(n: int) -> list[dict[str, Any]]:
    rng = random.Random(158)
    return [{"id": i, "salary": v} for i, v in enumerate(rng.sample(range(10_000, 100_000), n))]


def _tools(table: list[dict[str, Any]]) -> list[Any]:
    @privacy_source(private=["salary"], kind="person", key="id")
    def read_people() -> list:
        """The people table."""
        return table

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    @effect
    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        return "sent"

    return [read_people, send_email]


N = 10_000
LENGTH = 60_000
"""A report's characters: 10,000 five-digit salaries and their spaces, under the 64 KiB `max_arg_bytes`."""


def _report(table: list[dict[str, Any]]) -> str:
    """Every salary of the table, padded to `LENGTH` characters."""
    listed = " ".join(str(r["salary"]) for r in table)
    return listed + " and" * ((LENGTH - len(listed)) // 4)


def _label_time(n: int) -> float:
    """How long the flow takes to label a report of the `n` salaries it showed (the best of two)."""
    table = _table(n)
    read_people = _tools(table)[0]
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt158")
    flow.record("t", "c1", "read_people", source_of(ToolSpec.of(read_people).meta), table)
    state = {"messages": [HumanMessage("Mail me everyone's salary.")]}
    flow.label({"name": "send_email", "id": "c0", "args": {"to": ME, "body": "hello 123456"}}, state, "t")  # indexed
    body = _report(table)
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        labels = flow.label({"name": "send_email", "id": "c2", "args": {"to": ME, "body": body}}, state, "t")
        best = min(best, time.perf_counter() - t0)
        assert len(labels["body"].sources) > n  # every record's value was found
    return best


def _audit_time(n: int, body: str | None = None) -> float:
    """How long `audit_trace` takes for a trace that reads the table and mails the user the report (or `body`)."""
    table = _table(n)
    trace = [{"type": "user", "content": "Mail me everyone's salary."},
             {"type": "call", "id": "c1", "tool": "read_people", "args": {}},
             {"type": "result", "id": "c1", "tool": "read_people", "result": table},
             {"type": "call", "id": "c2", "tool": "send_email", "args": {"to": ME, "body": body or _report(table)}},
             {"type": "result", "id": "c2", "tool": "send_email", "result": "sent"}]
    t0 = time.perf_counter()
    assert audit_trace(trace, _tools(table), PrivacyPolicy.of(ME)) == []  # the user may read it all
    return time.perf_counter() - t0


@pytest.fixture
def no_gc() -> Iterator[None]:
    """The collector paused while timing: its passes over the table's objects land anywhere, at random."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_labelling_many_values_is_bounded(no_gc: None) -> None:
    took = _label_time(N)
    # ~0.2 s (it was 3 to 6 s, growing with the square of the values: 0.1 s for 2,000)
    assert took < 1.0, f"labelling one argument of {N:,} values took {took:.1f} s"


def test_an_audit_of_many_values_is_bounded(no_gc: None) -> None:
    short, report = _audit_time(N, "Done."), _audit_time(N)
    # reading the table costs both the same; the report's values, little more (~1.5 times: it was 6 to 10 times)
    assert report < 3 * short, f"a short mail: {short:.2f} s; the report: {report:.2f} s"



def test_the_records_a_call_names_are_joined_in_bounded_time(no_gc: None) -> None:
    """A sink's `refers` argument naming thousands of records the model read (`PrivacyGuard._referent`)."""
    keys = ["".join(chr(97 + i // 26 ** k % 26) for k in range(3)) for i in range(8000)]  # 56 KB as a list
    table = [{"id": key, "salary": 10_000 + i} for i, key in enumerate(keys)]
    read_people = _tools(table)[0]
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt158")
    flow.record("t", "c1", "read_people", source_of(ToolSpec.of(read_people).meta), table)
    guard = PrivacyGuard(flow)
    t0 = time.perf_counter()
    lbl = guard._referent("t", "person", keys, None)
    took = time.perf_counter() - t0
    assert len(lbl.sources) > len(keys) and lbl.readers == frozenset({"user", ME})
    # a few hundredths of a second (it was ~2 s, growing with the square of the records)
    assert took < 0.5, f"joining the labels of {len(keys):,} records took {took:.1f} s"
