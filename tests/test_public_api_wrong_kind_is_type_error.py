"""Public constructors and functions given an object of the wrong kind raise a bare
`AttributeError` from deep inside ("'int' object has no attribute '__name__'").

docs/kernel.md "What you get" and vfa/_exceptions.py promise misuse is a `TypeError`/`ValueError` or a `VfaError`
that names what is wrong; an `AttributeError` reads as a bug in vfa and names neither the argument nor what
it should be. Each call below must raise a `TypeError`, a `ValueError` or a `VfaError`.

Fixed: each raises a `TypeError` naming what it expected.

So is misuse that was accepted and failed (or misbehaved) only at the first call: instructions that are no
text, a flow that is no `vfa.Flow`, a negative edit budget, a secret that is no bytes, a user that is no
address, an empty journal path (SQLite's temporary file: a journal no restart finds).
"""

from __future__ import annotations

import pytest

import guards
import vfa
from guards import PrivacyFlow, PrivacyPolicy
from vfa import EffectJournal, VfaError


def _trace():
    return guards.Trace({"x": [0.0, 1.0]})


CASES = {
    "effect(1)": lambda: vfa.effect(1),
    "Effect(1)": lambda: vfa.Effect(1),
    "annotate(1)": lambda: vfa.annotate(1, note="x"),
    "privacy_sink(1)": lambda: guards.privacy_sink(1),
    "privacy_source(1)": lambda: guards.privacy_source(1),
    "PrivacyFlow('emma@x')": lambda: PrivacyFlow("emma@home.example"),
    "audit_trace(policy='emma@x')": lambda: guards.audit_trace([], [], "emma@home.example"),
    "trace_from_journal(None)": lambda: guards.trace_from_journal(None, "t"),
    "PrivacyPolicy.of(grants={1: ...})": lambda: PrivacyPolicy.of("emma@home.example", grants={1: ["x"]}),
    "PrivacyPolicy.of(grants=[...])": lambda: PrivacyPolicy.of("emma@home.example", grants=[("c@x.example", ["x"])]),
    "check_trace(trace, [None])": lambda: guards.check_trace(_trace(), [None]),
    "EffectJournal(synchronous=None)": lambda: EffectJournal(synchronous=None),
}


@pytest.mark.parametrize("call", sorted(CASES))
def test_misuse_is_a_type_or_value_error_not_an_attribute_error(call):
    try:
        CASES[call]()
    except (TypeError, ValueError, VfaError):
        return
    except AttributeError as exc:
        pytest.fail(f"{call} raised a bare AttributeError: {exc}")
    pytest.fail(f"{call} was accepted")


def _tool(x: int) -> int:
    """A read-only tool."""
    return x


LATE = {  # accepted once, then failing or misbehaving at the first call: refused where they are written
    "Agent(instructions=1)": lambda: vfa.Agent(None, [_tool], instructions=1),
    "Agent(flow=1)": lambda: vfa.Agent(None, [_tool], flow=1),
    "GuardNode(max_edit_rounds=-1)": lambda: vfa.GuardNode([_tool], max_edit_rounds=-1),
    "GuardNode(max_edit_rounds='3')": lambda: vfa.GuardNode([_tool], max_edit_rounds="3"),
    "GuardNode(messages_key=1)": lambda: vfa.GuardNode([_tool], messages_key=1),
    "PrivacyGuard(None)": lambda: guards.PrivacyGuard(None),
    "PrivacyFlow(secret='text')": lambda: PrivacyFlow(PrivacyPolicy.of("emma@home.example"), secret="text"),
    "PrivacyPolicy.of(user=1)": lambda: PrivacyPolicy.of(1),
    "EffectJournal('')": lambda: EffectJournal(""),
}


@pytest.mark.parametrize("call", list(LATE), ids=list(LATE))
def test_misuse_that_would_fail_late_is_refused_at_once(call, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a journal path read wrongly would make a file here
    with pytest.raises((TypeError, ValueError, VfaError)) as caught:
        LATE[call]()
    assert not isinstance(caught.value, AttributeError)
    assert list(tmp_path.iterdir()) == []
