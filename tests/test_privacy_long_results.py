"""A long result on a thread holding many handles is labelled in bounded time (red team 57b).

Each handle's value is looked up in every result (a tool that echoes a private value shows it as a
handle). One substring test per value over a 1 MB page, on a thread holding 5,000 private phone
numbers, took about ten seconds, inline in the guard node. Past a budget of strings times characters
the lookup now fails closed: every value is taken to occur, so the page is shown as one handle."""

from __future__ import annotations

import random
import time

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from guards._handles import HANDLE_RE
from vfa import Proposal, ToolSpec

rng = random.Random(57)
CONTACTS = [{"name": f"person {i}", "phone": "".join(rng.choice("0123456789") for _ in range(10))}
            for i in range(5000)]
PAGE = "".join(rng.choices("0123456789 ", k=1_000_000))


@privacy_sink()
@privacy_source(private=["phone"], kind="contact", key="name")
def list_contacts() -> list:
    """The user's contacts; phone numbers are private."""
    return CONTACTS


@privacy_sink(disclose={"url": "*"})
@privacy_source(untrusted=True)
def browse(url: str) -> str:
    """The text of a web page."""
    return PAGE


def _flow() -> tuple[PrivacyFlow, ToolSpec, ToolSpec]:
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"long")
    contacts, page = ToolSpec.of(list_contacts), ToolSpec.of(browse)
    flow.bind({"list_contacts": contacts, "browse": page}, None)
    return flow, contacts, page


def _shown(flow: PrivacyFlow, spec: ToolSpec, call: str, result: object) -> str:
    return flow.observe(Proposal(call_id=call, tool=spec.name, args={}, thread_id="t"), spec, result)


def test_a_long_page_on_a_thread_of_many_handles_is_shown_as_one_handle_in_bounded_time() -> None:
    flow, contacts, page = _flow()
    _shown(flow, contacts, "c0", CONTACTS)
    t0 = time.perf_counter()
    shown = _shown(flow, page, "c1", PAGE)
    assert time.perf_counter() - t0 < 5.0
    assert HANDLE_RE.fullmatch(shown), shown[:80]  # nothing of it in clear: it may show any of the phone numbers


def test_a_short_page_is_still_read_value_by_value() -> None:
    flow, contacts, page = _flow()
    _shown(flow, contacts, "c0", CONTACTS)
    text = "opening hours 9 to 5, call " + CONTACTS[7]["phone"]
    shown = _shown(flow, page, "c1", text)
    assert HANDLE_RE.fullmatch(shown)  # it shows a phone number the model holds only as a handle
    clean = "opening hours 9 to 5"
    assert _shown(flow, page, "c2", clean) == clean
