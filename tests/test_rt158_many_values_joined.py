"""Red team 158: an argument holding thousands of a table's private values is labelled in time quadratic in
their number (5 s for 8,000; an audit of the call as long).

Input: a tool shows the model a table of N records, each keyed by its id and holding a private salary
(`kind="person", key="id"`: each record's label has a source of its own, `person:<id>`). The model then
mails the user (or anyone) a report listing every salary: N six-digit numbers, ~55 KB for N = 8,000, under
the 64 KiB `max_arg_bytes`. An attacker needs no values: 60 KB of random digits holds about half of a
table's five-digit numbers, and labelling the call to bob took 4.4 s for a table of 8,000.

Value tracking finds every value in the text in linear time, then joins their labels one at a time
(`for value in idx.tracked_in(n): out = _join(out, tracked[value])` in `_found_label`, and so in
`_content_label`, `_digit_label`, ...): each join builds a new `Label` whose sources are the growing union
(and pydantic validates the whole set again), so k values cost k²: `PrivacyFlow.label` took 0.15 s for
2,000 values and 4.4-5.3 s for 8,000; the privacy guard labels the call again joined with what the
recipient received before, and `audit_trace` of such a trace reads it so too. README "Bounded work": what
labelling reads costs time linear in its length.

Fixed: the labels found are joined in one step (`_observation._join_each`) once there are more than a few.
"""

from __future__ import annotations

import random
import time
from typing import Any

from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source
from guards._privacy_decl import source_of
from vfa import ToolSpec, effect

ME = "me@home.example"


def _table(n: int) -> list[dict[str, Any]]:
    rng = random.Random(158)
    return [{"id": i, "salary": v} for i, v in enumerate(rng.sample(range(100_000, 1_000_000), n))]


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


def _label_time(n: int) -> float:
    table = _table(n)
    read_people = _tools(table)[0]
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt158")
    flow.record("t", "c1", "read_people", source_of(ToolSpec.of(read_people).meta), table)
    call = {"name": "send_email", "id": "c2", "args": {"to": ME, "body": " ".join(str(r["salary"]) for r in table)}}
    t0 = time.perf_counter()
    labels = flow.label(call, {"messages": [HumanMessage("Mail me everyone's salary.")]}, "t")
    took = time.perf_counter() - t0
    assert len(labels["body"].sources) > n  # every record's value was found
    return took


def _audit_time(n: int) -> float:
    table = _table(n)
    trace = [{"type": "user", "content": "Mail me everyone's salary."},
             {"type": "call", "id": "c1", "tool": "read_people", "args": {}},
             {"type": "result", "id": "c1", "tool": "read_people", "result": table},
             {"type": "call", "id": "c2", "tool": "send_email",
              "args": {"to": ME, "body": " ".join(str(r["salary"]) for r in table)}},
             {"type": "result", "id": "c2", "tool": "send_email", "result": "sent"}]
    t0 = time.perf_counter()
    assert audit_trace(trace, _tools(table), PrivacyPolicy.of(ME)) == []  # the user may read it all
    return time.perf_counter() - t0


def test_labelling_many_values_grows_linearly() -> None:
    small = min(_label_time(2000) for _ in range(2))
    large = _label_time(8000)
    assert large < 5.0, f"labelling one argument of 8,000 values took {large:.1f} s"
    # four times the values: about four times the time (it was ~30 times)
    assert large < 12 * small, f"2,000 values: {small:.2f} s; 8,000: {large:.2f} s"


def test_an_audit_of_many_values_grows_linearly() -> None:
    small = min(_audit_time(2000) for _ in range(2))
    large = _audit_time(8000)
    assert large < 12 * small, f"2,000 values: {small:.2f} s; 8,000: {large:.2f} s"
