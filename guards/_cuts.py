"""Values cut in two across two texts: found in time linear in the number of texts.

A value split over two arguments with others between them ("078-05" in an event's title, "1120" in
its description, the day between) is in no join of the arguments in their order. Joining every two
of n texts costs n² joins, which a hostile call with many list items turns into minutes; instead each
value is indexed by where it can be cut, and each text is looked up by its ends.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

__all__ = ["PIECE", "WHOLE", "Cuts", "TooManyCuts"]

PIECE = 64
"""A piece is indexed by its outer characters (or words), this many at most: a text's end or start is
looked up this many ways, whatever the values."""

WHOLE = 512
"""Values up to this long are indexed at every cut; a longer one (a whole private text, as a rule)
where one of its pieces is at most `PIECE` long, and at its other cuts by looking each text's outer
`PIECE` characters up in it (`_middles`)."""

PAIRS = 16
"""The pairs of texts reported per value at most (a value cut the same way across many is one value)."""

VISITS = 1_000_000
"""The index entries one `across` may test: texts crafted to end as thousands of values begin would
otherwise cost seconds. Past it, `TooManyCuts` (the caller fails closed)."""


class TooManyCuts(Exception):
    """`across` tested more than `VISITS` entries: what the texts hold between them is not known."""


class Cuts:
    """The ways a set of values can be cut in two, indexed by the pieces: `across` finds the values
    that the end of one text and the start of another hold between them. A value is a string cut
    between characters, or (`words`) words joined by single spaces, cut between words. Extended,
    never changed: a snapshot serves a reader while its thread grows."""

    __slots__ = ("heads", "tails", "words", "size", "values", "long")

    def __init__(self, words: bool = False) -> None:
        self.heads: dict[str, tuple[tuple[str, int], ...]] = {}
        """A value's first piece (its last `PIECE` characters or words) -> (the value, the cut)."""
        self.tails: dict[str, tuple[tuple[str, int], ...]] = {}
        """A value's last piece (its first `PIECE` characters or words) -> (the value, the cut)."""
        self.words = words
        self.size = 0
        """How many cuts are indexed."""
        self.values: frozenset[str] = frozenset()
        """The values indexed (each once, however often it is given)."""
        self.long: tuple[str, ...] = ()
        """Values longer than `WHOLE`: their cuts with both pieces longer than `PIECE` are found by
        looking a text's outer `PIECE` characters up in them."""

    def extended(self, values: Iterable[str]) -> Cuts:
        """These cuts and those of `values`."""
        more_heads: dict[str, list[tuple[str, int]]] = {}
        more_tails: dict[str, list[tuple[str, int]]] = {}
        size, new, long = self.size, [], []
        for value in dict.fromkeys(values):
            if value in self.values:
                continue
            new.append(value)
            tokens: Sequence[str] = value.split(" ") if self.words else value
            n = len(tokens)
            if n > WHOLE and not self.words:
                long.append(value)
            cuts: Iterable[int] = range(1, n) if n <= WHOLE else itertools.chain(
                range(1, PIECE + 1), range(n - PIECE, n))
            for cut in cuts:
                head, tail = tokens[max(0, cut - PIECE):cut], tokens[cut:cut + PIECE]
                if self.words:
                    head, tail = " ".join(head), " ".join(tail)
                more_heads.setdefault(head, []).append((value, cut))
                more_tails.setdefault(tail, []).append((value, cut))
                size += 1
        out = Cuts(self.words)
        out.heads, out.tails, out.size = dict(self.heads), dict(self.tails), size  # entries are tuples: shared
        out.values, out.long = self.values.union(new), (*self.long, *long)
        for index, more in ((out.heads, more_heads), (out.tails, more_tails)):
            for key, entries in more.items():  # one new tuple per key touched
                index[key] = (*index.get(key, ()), *entries)
        return out

    def across(self, forms: Sequence[Sequence[str]]) -> tuple[dict[str, list[tuple[int, int]]], bool]:
        """The values cut in two across two of the texts: value -> the pairs (i, j), i != j, of a text
        whose end holds its first piece and a text whose start holds the rest; and whether some value
        had more than `PAIRS` such pairs (only `PAIRS` are listed). Texts are strings, or lists of
        words (`words`). Raises `TooManyCuts` past `VISITS` entries tested."""
        if not self.heads or len(forms) < 2:
            return {}, False
        words = self.words
        key = " ".join if words else None
        left: dict[tuple[str, int], list[int]] = {}  # (value, cut) -> texts ending in its first piece
        capped = False
        budget = [VISITS]

        def spend(n: int) -> None:
            budget[0] -= n
            if budget[0] < 0:
                raise TooManyCuts(f"more than {VISITS} ways to cut values across {len(forms)} texts")

        def note_end(value: str, cut: int, i: int) -> None:
            nonlocal capped
            ends = left.setdefault((value, cut), [])
            if i not in ends:
                if len(ends) < PAIRS:
                    ends.append(i)
                else:
                    capped = True

        for i, form in enumerate(forms):
            for k in range(1, min(PIECE, len(form)) + 1):
                piece = form[-k:]
                entries = self.heads.get(key(piece) if key else piece, ())
                spend(len(entries))
                for value, cut in entries:
                    if cut <= PIECE or _ends(form, value, cut, words):  # a longer piece: the rest must be there too
                        note_end(value, cut, i)
            if len(form) > PIECE:  # a long value cut where both pieces are longer than PIECE
                for value, cut in _middles(self.long, form[-PIECE:], PIECE, spend):
                    if form.endswith(value[:cut]):  # type: ignore[union-attr]
                        note_end(value, cut, i)
        if not left:
            return {}, capped
        found: dict[str, list[tuple[int, int]]] = {}

        def note_start(value: str, cut: int, j: int) -> None:
            nonlocal capped
            for i in left.get((value, cut), ()):
                if i == j:
                    continue
                pairs = found.setdefault(value, [])
                if (i, j) in pairs:
                    continue
                if len(pairs) < PAIRS:
                    pairs.append((i, j))
                else:
                    capped = True

        for j, form in enumerate(forms):
            for k in range(1, min(PIECE, len(form)) + 1):
                piece = form[:k]
                entries = self.tails.get(key(piece) if key else piece, ())
                spend(len(entries))
                for value, cut in entries:
                    if (value, cut) in left and (
                            _length(value, words) - cut <= PIECE or _starts(form, value, cut, words)):
                        note_start(value, cut, j)
            if len(form) > PIECE:
                for value, cut in _middles(self.long, form[:PIECE], 0, spend):
                    if (value, cut) in left and form.startswith(value[cut:]):  # type: ignore[union-attr]
                        note_start(value, cut, j)
        return found, capped


def _middles(values: Sequence[str], probe: str, offset: int, spend: Any) -> Iterator[tuple[str, int]]:
    """(value, cut) for each place `probe` occurs in a long value, the cut `offset` after it begins,
    where both pieces are longer than `PIECE` (the cuts `Cuts` does not index)."""
    for value in values:
        spend(1 + len(value) // 1024)  # each look-up reads the value: long ones count more
        at = value.find(probe)
        while at >= 0:
            spend(1)
            cut = at + offset
            if PIECE < cut < len(value) - PIECE:
                yield value, cut
            at = value.find(probe, at + 1)


def _length(value: str, words: bool) -> int:
    return value.count(" ") + 1 if words else len(value)


def _ends(form: Sequence[str], value: str, cut: int, words: bool) -> bool:
    """Whether the text ends with the value's first `cut` characters (or words)."""
    if words:
        return list(form[-cut:]) == value.split(" ")[:cut] if len(form) >= cut else False
    return form.endswith(value[:cut])  # type: ignore[union-attr]


def _starts(form: Sequence[str], value: str, cut: int, words: bool) -> bool:
    """Whether the text starts with the value's characters (or words) from `cut` on."""
    if words:
        rest = value.split(" ")[cut:]
        return list(form[:len(rest)]) == rest
    return form.startswith(value[cut:])  # type: ignore[union-attr]
