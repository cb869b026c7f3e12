"""Many tracked values or handle values written with two characters do not hold the guard node
(red team 94: one look-up took many seconds, inline in the guard node, with no deadline).

`_index._Needles.found_in` looks up more than 256 strings in a text shorter than their number by the
three-character gram each string is indexed under, walking in Python every string of the gram found
at each place of the text. Over a two-letter alphabet ("a" and "1") there are only eight grams, so
each holds an eighth of all the strings, and a text of "a"s walks the "aaa" bucket at every place:
(text length) x (strings / 8) `startswith` calls, tens of millions. The substring-test path is bounded
by `_SEARCH_BUDGET` (past it every string is taken to occur: fail closed, fast); the gram path has no
bound at all.

1. Tracked values and a model's argument: Eve mails the user a ~410 KB "newsletter" of 24,000
   distinct 16-character tokens of "a" and "1" (each a tracked letter-digit token, `_tokens`); the
   model then writes a 23,000-character argument of "a"s. Labelling it (`_Index.tracked_in`, from
   `PrivacyFlow._leaf_label`) takes about ten seconds.
2. Handle values and an attacker's page (no help from the model): a web API's JSON lists 10,000
   private codes of "a" and "1" (each shown as a handle); then the model browses a page that is
   19,000 "a"s. Labelling the page's result looks every handle value up in it (`_memo_key` and
   `_shown_secrets` in guards/_results.py, both through `found_in`): over ten seconds.

Expected (docs/privacy.md "Bounded work": hostile text is labelled in time linear in its length; an 800 KB
mail beside a call is checked in well under five seconds): each run ends within the limit. Observed:
the guard node is held for many seconds in `_Needles.found_in` (guards/_index.py).

Fixed: the look-up by place keeps a budget of strings tested (`_GRAM_BUDGET`; past it every string is
taken to occur, as past `_SEARCH_BUDGET`), and a value is keyed among its first places only (`_KEYED`).
Both runs now take 1-2 s here (the control, which mints the 10,000 values, 0.4 s).
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
from typing import Any

from _turns import by_turn
from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

LIMIT_S = 5.0
USER, BOB = "me@home.example", "bob@family.example"


def _tokens(n: int) -> list[str]:
    """`n` distinct 16-character tokens of "a" and "1", each with at least two of each."""
    out = ["".join(bits) for bits in itertools.product("a1", repeat=16) if 2 <= "".join(bits).count("1") <= 14]
    random.Random(1).shuffle(out)
    return out[:n]


@privacy_sink()
@privacy_source(private=["body"], untrusted=["body"], handle=False, readers_from=["sender"], kind="email", key="id")
def read_mail() -> dict:
    """Read Eve's mail (private to her and the user, untrusted, shown in clear)."""
    return {"id": "m1", "sender": "eve@evil.example", "body": "Newsletter: " + " ".join(_tokens(24000))}


@privacy_sink(disclose={"body": "to"})
@privacy_source()
@effect
def send(to: list[str], body: str) -> str:
    """Send a message."""
    return "sent"


@privacy_sink(disclose={"url": "*"})
@privacy_source(private=["code"], untrusted=True, kind="code")
def fetch_codes(url: str) -> list:
    """A web API's list of private codes (each shown as a handle)."""
    return [{"n": i, "code": c} for i, c in enumerate(_tokens(10000))]


@privacy_sink(disclose={"url": "*"})
@privacy_source(untrusted=True)
def browse(url: str) -> str:
    """A web page, written by whoever runs the site."""
    return "a" * 19000


def _run(tools: list[Any], *steps: Any) -> None:
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt94")
    app = Agent(ScriptedModel(rule=by_turn(*steps)), tools, guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage("Go on.")]}, {"configurable": {"thread_id": "t"}})


def _within_limit(target: Any) -> None:
    # run apart, so a stalled guard node is stopped at the limit instead of holding the test
    worker = multiprocessing.get_context("fork").Process(target=target, daemon=True)
    worker.start()
    worker.join(LIMIT_S)
    stalled = worker.is_alive()
    if stalled:
        worker.kill()
        worker.join()
    assert not stalled, f"the run took more than {LIMIT_S} s"
    assert worker.exitcode == 0


def _mail_then_long_argument() -> None:
    _run([read_mail, send], ("read_mail", {}, "c1"), ("send", {"to": [BOB], "body": "a" * 23000}, "c2"))


def _codes_then_long_page() -> None:
    _run([fetch_codes, browse], ("fetch_codes", {"url": "https://api.example/codes"}, "c1"),
         ("browse", {"url": "https://news.example"}, "c2"))


def test_control_the_codes_and_a_short_page_are_quick() -> None:
    _within_limit(lambda: _run([fetch_codes, browse], ("fetch_codes", {"url": "https://api.example/codes"}, "c1")))


def test_many_tracked_tokens_and_a_long_argument_do_not_hold_the_guard_node() -> None:
    _within_limit(_mail_then_long_argument)


def test_many_handle_values_and_a_long_page_do_not_hold_the_guard_node() -> None:
    _within_limit(_codes_then_long_page)
