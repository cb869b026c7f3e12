"""Labels: who may read a value (confidentiality) and where it came from (integrity)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

__all__ = ["Label", "PUBLIC", "USER"]


class Label(BaseModel):
    """The readers allowed to see a value and the sources it was derived from.

    Labels form a lattice: combining two values joins their labels, so the result may be read only
    by principals allowed to read both, carries both sets of sources, and is trusted only if both were.
    """

    model_config = ConfigDict(frozen=True)

    readers: frozenset[str] | None = None
    """Principals allowed to read the value; None means anyone (public)."""
    sources: frozenset[str] = frozenset()
    """Where the value came from: "user", "tool:read_email", a document id."""
    trusted: bool = True
    """False once any part of the value came from untrusted content (an email body, a web page)."""

    def join(self, other: Label) -> Label:
        """The label of a value derived from both: readers intersect, sources unite, trust ands."""
        if self is other:
            return self
        if self.readers is None:
            readers = other.readers
        elif other.readers is None:
            readers = self.readers
        else:
            readers = self.readers & other.readers
        return Label(readers=readers, sources=self.sources | other.sources, trusted=self.trusted and other.trusted)

    def may_flow_to(self, recipients: Iterable[str]) -> bool:
        """True if every recipient is among the readers (always true for public data)."""
        if isinstance(recipients, (str, bytes)):  # read letter by letter, one-letter readers would pass it
            raise TypeError(f"recipients must be a collection of principals, not one text: [{recipients!r:.80}]?")
        return self.readers is None or all(r in self.readers for r in recipients)

    @classmethod
    def join_all(cls, labels: Iterable[Label]) -> Label:
        """Join any number of labels; the empty join is a public, trusted label."""
        out = PUBLIC
        for label in labels:
            out = out.join(label)
        return out


PUBLIC = Label()
"""Public and trusted: the label of constants and of values nobody restricted."""

USER = Label(sources=frozenset({"user"}))
"""What the user typed: public to the agent itself, trusted, with the user as its source."""
