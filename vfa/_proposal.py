"""Proposals: an action the model wants taken, not yet verified or committed."""

# No `from __future__ import annotations`: the public classes here are re-homed to `vfa` (their
# `__module__`), where `typing.get_type_hints` would look string annotations up and not find them.

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ._labels import Label

__all__ = ["CommitRecord", "Proposal"]


class Proposal(BaseModel):
    """One tool call proposed by the model, with validated arguments and the labels of its inputs."""

    model_config = ConfigDict(frozen=True)

    call_id: str
    """The model's tool-call id; with the thread id it is the commit's idempotency key."""
    tool: str
    """Name of the tool the model asked for."""
    args: dict[str, Any]
    """Arguments after validation against the tool's schema (coerced to the declared types)."""
    raw_args: dict[str, Any] | None = None
    """The arguments as written (the model's JSON, or a person's edit), before validation; None when not
    known. What the journal keeps; a guard that reads values reads these too, since validation may
    rewrite a value (a URL percent-encoded, seconds as a duration) that the tool reads back."""
    labels: dict[str, Label] = Field(default_factory=dict)
    """Label of each argument, by argument name; an argument without one is unlabelled (public)."""
    thread_id: str = ""
    """The LangGraph thread the proposal belongs to."""
    by_value: frozenset[str] = frozenset()
    """Arguments that hold a handle where the tool wants a value the handle's text is not (an amount):
    validated on the value behind it, kept as written in `args` (labels, the journal and the privacy
    guard read the handle); the effect and the guards that judge values receive them validated."""

    def label(self, arg: str) -> Label | None:
        """The label of one argument, or None when it carries none."""
        return self.labels.get(arg)


class CommitRecord(BaseModel):
    """An effect committed on a thread, as the journal recorded it; guards see these as history."""

    model_config = ConfigDict(frozen=True)

    thread_id: str
    call_id: str
    tool: str
    args: dict[str, Any]
    result: Any = None
    committed_at: float = 0.0
