"""Verdicts: what a guard says about one proposal."""

# No `from __future__ import annotations`: the public classes here are re-homed to `vfa` (their
# `__module__`), where `typing.get_type_hints` would look string annotations up and not find them.

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Allow", "Decision", "Deny", "Escalate", "Repair", "Verdict", "ALLOW"]


class _VerdictBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    guard: str = ""
    """Name of the guard that gave this verdict; filled in by the chain when left empty."""


class Allow(_VerdictBase):
    """The proposal may be committed as far as this guard is concerned."""

    kind: Literal["allow"] = "allow"
    evidence: dict[str, Any] = Field(default_factory=dict, exclude_if=lambda e: not e)
    """What the allowance rests on, when more than the rules: e.g. the approvals a person gave that cover
    it (left out of the verdict's JSON when empty, as most are)."""


class Deny(_VerdictBase):
    """The proposal must not be committed; the reason and evidence go back to the model."""

    kind: Literal["deny"] = "deny"
    reason: str
    """One sentence saying what is wrong, e.g. "transfer denied by `amount <= balance`"."""
    evidence: dict[str, Any] = Field(default_factory=dict)
    """The facts behind the denial: the violated clause, concrete values, a counterexample."""


class Escalate(_VerdictBase):
    """A person must decide: the thread pauses with LangGraph's `interrupt()` until they answer."""

    kind: Literal["escalate"] = "escalate"
    question: str
    """What the person is asked, e.g. "pay 900 to a new payee?"."""
    evidence: dict[str, Any] = Field(default_factory=dict)


class Repair(_VerdictBase):
    """Not committed as proposed; the hint tells the model how to make it acceptable."""

    kind: Literal["repair"] = "repair"
    reason: str
    hint: str
    """What to change, e.g. "turn the stove off before leaving the kitchen"."""
    evidence: dict[str, Any] = Field(default_factory=dict)


Verdict = Annotated[Union[Allow, Deny, Escalate, Repair], Field(discriminator="kind")]
"""Any verdict; a pydantic discriminated union, so verdicts round-trip through JSON."""
# its own, or `help(vfa.Verdict)` shows typing's text for every `Annotated` alias
Verdict.__doc__ = "Any verdict: `Allow`, `Deny`, `Escalate` or `Repair`, a pydantic union discriminated by `kind`."

ALLOW = Allow()
"""The shared allow verdict; guards may return it to avoid an allocation per check."""

# Deny and Repair stop the chain; Escalate is kept while later guards still run, since a later
# deny must win over a question to a person.
_SEVERITY = {"allow": 0, "escalate": 1, "repair": 2, "deny": 3}


def severity(verdict: Allow | Deny | Escalate | Repair) -> int:
    """Order verdicts so the chain's outcome is its most severe verdict."""
    return _SEVERITY[verdict.kind]


class Decision(BaseModel):
    """One guard's verdict on one proposal, with how long it took; kept for the journal and trace."""

    model_config = ConfigDict(frozen=True)

    guard: str
    verdict: Verdict
    latency_s: float
