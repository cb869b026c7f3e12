"""Values cut in two across two texts: found in time linear in the number of texts.

A value split over two arguments with others between them ("078-05" in an event's title, "1120" in
its description, the day between) is in no join of the arguments in their order. Joining every two
of n texts costs n² joins, which a hostile call with many list items turns into minutes; instead each
value is indexed by where it can be cut, and each text is looked up by its ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["PIECE", "Cuts"]

PIECE = 64
"""The longest piece either side of a cut that is indexed (characters, or words). A longer value is
found cut in two only where both pieces are this short; a private text's long pieces are found by
their six-word runs."""

_Entry = tuple[str, int, str]
"""(the value, where it is cut, the piece): a piece is matched whole against a text's end or start."""


class Cuts:
    """The ways a set of values can be cut in two, indexed by the pieces' outer ends: `across` finds
    the values that the end of one text and the start of another hold between them. A value is a
    string cut between characters, or (`words`) words joined by single spaces, cut between words.
    Extended, never changed: a snapshot serves a reader while its thread grows."""

    __slots__ = ("heads", "tails", "words", "size")

    def __init__(self, words: bool = False) -> None:
        self.heads: dict[str, tuple[_Entry, ...]] = {}
        """The last (up to) two characters, or the last word, of a value's first piece -> its entries."""
        self.tails: dict[str, tuple[_Entry, ...]] = {}
        """The first (up to) two characters, or the first word, of a value's last piece -> its entries."""
        self.words = words
        self.size = 0
        """How many cuts are indexed."""

    def extended(self, values: Iterable[str]) -> Cuts:
        """These cuts and those of `values`."""
        more_heads: dict[str, list[_Entry]] = {}
        more_tails: dict[str, list[_Entry]] = {}
        size = self.size
        for value in values:
            tokens: Sequence[str] = value.split(" ") if self.words else value
            n = len(tokens)
            for cut in range(max(1, n - PIECE), min(PIECE, n - 1) + 1):
                if self.words:
                    head, tail = " ".join(tokens[:cut]), " ".join(tokens[cut:])
                    end, start = tokens[cut - 1], tokens[cut]
                else:
                    head, tail = value[:cut], value[cut:]
                    end, start = head[-2:], tail[:2]
                more_heads.setdefault(end, []).append((value, cut, head))
                more_tails.setdefault(start, []).append((value, cut, tail))
                size += 1
        out = Cuts(self.words)
        out.heads, out.tails, out.size = dict(self.heads), dict(self.tails), size  # entries are tuples: shared
        for index, more in ((out.heads, more_heads), (out.tails, more_tails)):
            for key, entries in more.items():
                index[key] = (*index.get(key, ()), *entries)
        return out

    def across(self, forms: Sequence[Sequence[str]]) -> dict[str, tuple[int, int]]:
        """The values cut in two across two of the texts: value -> (i, j), the text whose end holds its
        first piece and the text whose start holds the rest (i != j). Texts are strings, or lists of
        words (`words`)."""
        if not self.heads or len(forms) < 2:
            return {}
        heads, tails = self.heads, self.tails
        if self.words:  # padded, so a piece matches whole words only
            texts = [f" {' '.join(f)} " for f in forms]
            ends = [(f[-1],) if f else () for f in forms]
            starts = [(f[0],) if f else () for f in forms]
            pad = " "
        else:
            texts = list(forms)
            ends = [(f[-2:], f[-1:]) if len(f) > 1 else (f,) for f in texts]
            starts = [(f[:2], f[:1]) if len(f) > 1 else (f,) for f in texts]
            pad = ""
        left: dict[tuple[str, int], tuple[int, ...]] = {}  # (value, cut) -> up to two texts ending in its head
        for i, text in enumerate(texts):
            for key in ends[i]:
                for value, cut, piece in heads.get(key, ()):
                    if text.endswith(f"{pad}{piece}{pad}" if pad else piece):
                        had = left.get((value, cut), ())
                        if len(had) < 2 and i not in had:
                            left[(value, cut)] = (*had, i)
        if not left:
            return {}
        found: dict[str, tuple[int, int]] = {}
        for j, text in enumerate(texts):
            for key in starts[j]:
                for value, cut, piece in tails.get(key, ()):
                    if value in found or not text.startswith(f"{pad}{piece}{pad}" if pad else piece):
                        continue
                    i = next((x for x in left.get((value, cut), ()) if x != j), None)
                    if i is not None:
                        found[value] = (i, j)
        return found
