"""Two declaration flags of the wrong kind are read by truth, each the unsafe way round.

- `graphs.guard_tool(pay, read_only="no")` (or "false", 0/1 typed by hand) makes `pay` read-only: it runs without
  the write-ahead record that makes an effect exactly-once, so a commit cut off by a crash is run again on
  resume without asking a person (what `effect(idempotent="no")`, refused already, would do).
- `privacy_source(pure="no")` declares the tool pure: its result is taken as computed from the model's own
  words, so one that shows a value the model may only see as a handle is not hidden (`_results.record`), and
  the read-tool lint that asks for a private declaration is skipped (`_lint_public_read`).
  Its `kind` and `key`, which name sources and records as text, take any kind too (`kind=1`).

What must hold: each is refused where it is given (a `TypeError` naming the option); True/False (and text for
`kind`, text or None for `key`) still build.

Fixed: guard_tool's read_only and privacy_source's pure must be bools; kind must be text and key text or None.
"""

from __future__ import annotations

import pytest
from langchain_core.tools import tool

import graphs
from guards import privacy_source


@tool
def pay(to: str) -> str:
    """Pay someone."""
    return "paid"


def lookup(q: str) -> dict:
    """Look something up."""
    return {"q": q}


@pytest.mark.parametrize("bad", ["no", "false", None, 0, 1])
def test_guard_tools_read_only_is_true_or_false(bad):
    with pytest.raises(TypeError, match="read_only"):
        graphs.guard_tool(pay, read_only=bad)


@pytest.mark.parametrize("flag", [True, False])
def test_guard_tools_read_only_flag_still_builds(flag):
    assert ("pay" in graphs.guard_tool(pay, read_only=flag).gate.read_only) is flag


@pytest.mark.parametrize("bad", ["no", "false", None, 0, 1])
def test_a_sources_pure_is_true_or_false(bad):
    with pytest.raises(TypeError, match="pure"):
        privacy_source(pure=bad)


@pytest.mark.parametrize("kwargs", [{"kind": 1}, {"kind": None}, {"key": 1}, {"key": ["id"]}])
def test_a_sources_kind_and_key_are_text(kwargs):
    with pytest.raises(TypeError, match=next(iter(kwargs))):
        privacy_source(**kwargs)


def test_a_source_of_the_right_kinds_still_builds():
    assert privacy_source(pure=True, kind="doc", key="id")(lookup) is lookup
    assert privacy_source(pure=False, key=None)(lookup) is lookup
