"""Values cut across texts: found in time linear in the number of texts.

A value split over arguments with others between them ("078-05" in an event's title, "1120" in its
description, the day between) is in no join of the arguments in their order. Joining every two of n
texts costs n² joins (every order of three, n³), which a hostile call with many list items turns into
minutes; instead each value is indexed by where it can be cut, each text is looked up by its ends,
and a value cut into three pieces is followed through the text that is its whole middle piece.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from typing import Any

__all__ = ["PIECE", "WHOLE", "Cuts", "TooManyCuts", "runs_across"]

PIECE = 64
"""A piece is indexed by its outer characters (or words), this many at most: a text's end or start is
looked up this many ways, whatever the values."""

WHOLE = 512
"""Values up to this long are indexed at every cut; a longer one (a whole private text, as a rule)
where one of its pieces is at most `PIECE` long, and at its other cuts by looking each text's outer
`PIECE` characters up in it (`_middles`)."""

PAIRS = 16
"""The orders of texts reported per value at most, and kept per piece of it followed (a value cut the
same way across many is one value)."""

VISITS = 1_000_000
"""The index entries one `across` may test: texts crafted to end as thousands of values begin would
otherwise cost seconds. Past it, `TooManyCuts` (the caller fails closed)."""


_FEW = 8
"""Up to this many lengths, `Cuts._lengths` gives them all."""
_NOTHING = re.compile(r"(?!)")
"""A pattern that matches nowhere."""


class TooManyCuts(Exception):
    """`across` tested more than `VISITS` entries: what the texts hold between them is not known."""


class Cuts:
    """The ways a set of values can be cut in two, indexed by the pieces: `across` finds the values
    that the end of one text and the start of another hold between them (and a whole text between
    the two, a value cut in three). A value is a string cut
    between characters, or (`words`) words joined by single spaces, cut between words. Extended,
    never changed: a snapshot serves a reader while its thread grows."""

    __slots__ = ("heads", "tails", "words", "size", "values", "long", "reach", "ends", "_probes")

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
        self.reach = 0
        """The most characters (or words) a piece in `heads` or `tails` holds: a text's longer ends are
        no key (`across` looks up no more; a piece of k words joined holds k - 1 spaces or more, a key
        of fewer words fewer)."""
        self.ends: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        """The first characters and the last characters of the values cut (`_lengths`)."""
        self._probes: tuple[re.Pattern[str], re.Pattern[str]] | None = None

    def extended(self, values: Iterable[str]) -> Cuts:
        """These cuts and those of `values`."""
        more_heads: dict[str, list[tuple[str, int]]] = {}
        more_tails: dict[str, list[tuple[str, int]]] = {}
        size, new, long, reach = self.size, [], [], self.reach
        firsts, lasts = set(self.ends[0]), set(self.ends[1])
        for value in dict.fromkeys(values):
            if value in self.values:
                continue
            new.append(value)
            tokens: Sequence[str] = value.split(" ") if self.words else value
            n = len(tokens)
            if n > WHOLE and not self.words:
                long.append(value)
            reach = max(reach, min(n - 1, PIECE))  # a head holds up to n - 1 of them, a tail too
            if n > 1 and not self.words:
                firsts.add(value[0])
                lasts.add(value[-1])
            cuts: Iterable[int] = range(1, n) if n <= WHOLE else itertools.chain(
                range(1, PIECE + 1), range(n - PIECE, n))
            for cut in cuts:
                head, tail = tokens[max(0, cut - PIECE):cut], tokens[cut:cut + PIECE]
                if self.words:
                    head, tail = " ".join(head), " ".join(tail)
                more_heads.setdefault(head, []).append((value, cut))
                more_tails.setdefault(tail, []).append((value, cut))
                size += 1
        if not new:  # nothing to add: these cuts serve as they are (never changed)
            return self
        out = Cuts(self.words)
        out.heads, out.tails, out.size = dict(self.heads), dict(self.tails), size  # entries are tuples: shared
        out.values, out.long, out.reach = self.values.union(new), (*self.long, *long), reach
        out.ends = (frozenset(firsts), frozenset(lasts))
        for index, more in ((out.heads, more_heads), (out.tails, more_tails)):
            for key, entries in more.items():  # one new tuple per key touched
                index[key] = (*index.get(key, ()), *entries)
        return out

    def across(self, forms: Sequence[Sequence[str]], *,
               through: bool = True) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
        """The values cut across two or three of the texts: value -> the orders (i, j) or (i, m, j) of
        distinct texts holding it between them: text i ends with its first piece, text m is the whole
        middle piece, and text j starts with the rest; and whether some value had more than `PAIRS`
        such orders (only `PAIRS` are listed: a value may then be listed with none). Without `through`,
        only values cut in two. Texts are strings, or lists of words (`words`). Raises `TooManyCuts`
        past `VISITS` entries tested."""
        if not self.heads or len(forms) < 2:
            return {}, False
        words = self.words
        key = " ".join if words else None
        # (value, cut) -> orders of texts that hold the value up to the cut, the last one ending there
        held: dict[tuple[str, int], list[tuple[int, ...]]] = {}
        wild: set[tuple[str, int]] = set()
        """Cuts reached by more than `PAIRS` orders: followed on as reached by any texts (fail closed)."""
        capped = False
        budget = [VISITS]

        def spend(n: int) -> None:
            budget[0] -= n
            if budget[0] < 0:
                raise TooManyCuts(f"more than {VISITS} ways to cut values across {len(forms)} texts")

        def note(state: tuple[str, int], order: tuple[int, ...]) -> None:
            nonlocal capped
            if not _kept(held.setdefault(state, []), order):
                capped = True
                wild.add(state)

        # no piece is longer than `reach` (a longer end is no key), and a key is never given no entry
        # (an end that is no key tests nothing: it spends nothing of the budget)
        heads, tails, reach = self.heads, self.tails, self.reach
        for i, form in enumerate(forms):
            for k in self._lengths(form, min(PIECE, len(form), reach), True):
                entries = heads.get(key(form[-k:]) if key else form[-k:])
                if entries is None:
                    continue
                spend(len(entries))
                for value, cut in entries:
                    if cut <= PIECE or _ends(form, value, cut, words):  # a longer piece: the rest must be there too
                        note((value, cut), (i,))
            if len(form) > PIECE:  # a long value cut where both pieces are longer than PIECE
                # only where its first piece fits in the text; each test copies the piece: counted by length
                for value, cut in _middles(self.long, form[-PIECE:], PIECE, spend, len(form), first=True):
                    spend(cut // 1024)
                    if form.endswith(value[:cut]):  # type: ignore[union-attr]
                        note((value, cut), (i,))
        if not held:
            return {}, capped
        if through:
            self._through(forms, held, wild, note, spend)
        found: dict[str, list[tuple[int, ...]]] = {}

        def note_start(value: str, cut: int, j: int) -> None:
            nonlocal capped
            state = (value, cut)
            new = value not in found
            orders = found.setdefault(value, [])
            if state in wild:  # reached by more orders than were kept: found whatever texts they were
                capped = True
            for order in held.get(state, ()):
                if j not in order and not _kept(orders, (*order, j)):
                    capped = True
            if new and not orders and state not in wild:
                del found[value]

        for j, form in enumerate(forms):
            for k in self._lengths(form, min(PIECE, len(form), reach), False):
                entries = tails.get(key(form[:k]) if key else form[:k])
                if entries is None:
                    continue
                spend(len(entries))
                for value, cut in entries:
                    if (value, cut) in held and (
                            _length(value, words) - cut <= PIECE or _starts(form, value, cut, words)):
                        note_start(value, cut, j)
            if len(form) > PIECE:  # where the rest of the value fits in the text
                for value, cut in _middles(self.long, form[:PIECE], 0, spend, len(form), first=False):
                    if (value, cut) in held:
                        spend((len(value) - cut) // 1024)
                        if form.startswith(value[cut:]):  # type: ignore[union-attr]
                            note_start(value, cut, j)
        return found, capped

    def _lengths(self, form: Sequence[str], top: int, first: bool) -> Sequence[int]:
        """The lengths, from 1 to `top` and in that order, of the ends of a text (its last characters if
        `first`, else its first) that may be keys of `heads` (`tails`): all of them but the ends no key
        can be. A head shorter than `PIECE` is a value's first characters (its cut is its length), so it
        begins as a value does; a tail shorter than `PIECE` is a value's last characters, so it ends as
        a value does: an end of another length below `PIECE` whose character there (its first, for a
        head; its last, for a tail) no value has there is no key. An end of `PIECE` characters may be
        any value's piece: always looked up. Words (`words`) are looked up at every length."""
        if top <= _FEW or self.words or form.__class__ is not str:
            return range(1, top + 1)  # (a few lengths are looked up faster than they are sifted)
        probes = self._probes
        if probes is None:
            probes = self._probes = tuple(
                re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") if chars else _NOTHING
                for chars in self.ends)
        size = len(form)
        if first:  # the end of length k begins at size - k
            ks = [size - m.start() for m in probes[0].finditer(form, size - top)]
            ks.reverse()
        else:  # the end of length k ends at k - 1
            ks = [m.start() + 1 for m in probes[1].finditer(form, 0, top)]
        if top == PIECE and (not ks or ks[-1] != PIECE):
            ks.append(PIECE)
        return ks

    def _through(self, forms: Sequence[Sequence[str]], held: dict[tuple[str, int], list[tuple[int, ...]]],
                 wild: set[tuple[str, int]], note: Any, spend: Any) -> None:
        """Follow each value held up to a cut through a text that is the whole next piece of it: a value
        cut into three pieces, the middle one a text of its own. Not further: many short texts (a
        numbered list) hold every digit token between them piece by piece, though they disclose none."""
        wholes: dict[Any, list[int]] = {}
        for m, form in enumerate(forms):
            if form:
                wholes.setdefault(" ".join(form) if self.words else form, []).append(m)
        lengths = sorted({len(form) for form in forms if form})
        split: dict[str, Sequence[str]] = {}
        for (value, cut), orders in list(held.items()):
            tokens = (split.get(value) or split.setdefault(value, value.split(" "))) if self.words else value
            n = len(tokens)
            for size in lengths:
                end = cut + size
                if end >= n:  # the last piece is left for the text that starts with it
                    break
                spend(1 + size // 1024)  # the piece is read to be looked up: long ones count more
                piece = tokens[cut:end]
                texts = wholes.get(" ".join(piece) if self.words else piece)
                if not texts:
                    continue
                spend(len(texts) * len(orders))
                for m in texts:
                    for order in orders:
                        if len(order) == 1 and m != order[0]:  # a first piece's text (not one followed already)
                            note((value, end), (*order, m))
                    if (value, cut) in wild:  # reached by more texts than were kept: any of them
                        wild.add((value, end))
                        held.setdefault((value, end), [])


def _kept(orders: list[tuple[int, ...]], order: tuple[int, ...]) -> bool:
    """Add an order of texts to those of a value (or of a piece of it) within `PAIRS`; False if no room."""
    if order not in orders:
        if len(orders) >= PAIRS:
            return False
        orders.append(order)
    return True


def _middles(values: Sequence[str], probe: str, offset: int, spend: Any, room: int, *,
             first: bool) -> Iterator[tuple[str, int]]:
    """(value, cut) for each place `probe` occurs in a long value, the cut `offset` after it begins,
    where both pieces are longer than `PIECE` (the cuts `Cuts` does not index), and the `first` piece
    (else the last) is at most `room` long: a text that long can end (start) with it."""
    for value in values:
        start, end = (0, room) if first else (max(0, len(value) - room), len(value))
        spend(1 + (end - start) // 1024)  # each look-up reads the value: long ones count more
        at = value.find(probe, start, end)
        while at >= 0:
            spend(1)
            cut = at + offset
            if PIECE < cut < len(value) - PIECE:
                yield value, cut
            at = value.find(probe, at + 1, end)


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


def runs_across(forms: Sequence[Sequence[str]], runs: Container[str], follows: Mapping[str, Collection[str]],
                size: int, *, through: bool = True) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
    """`Cuts.across` for the runs of `size` words of private texts (`runs`: each run's words joined by
    single spaces), without an index of every cut of every run (five entries a word of private text,
    which a long private text makes cost seconds): a run cut between two texts has the last word of
    the one and the first word of the next side by side, so only texts whose ends meet as two words of
    a private text do (`follows`: a word -> the words after it in some private text) are joined and
    looked up. The same results as `Cuts(words=True)` over the runs; `TooManyCuts` past `VISITS` joins
    and look-ups."""
    firsts: dict[str, list[int]] = {}
    for j, form in enumerate(forms):
        if form:
            firsts.setdefault(form[0], []).append(j)
    found: dict[str, list[tuple[int, ...]]] = {}
    capped = False
    budget = [VISITS]

    def spend(n: int) -> None:
        budget[0] -= n
        if budget[0] < 0:
            raise TooManyCuts(f"more than {VISITS} ways to cut runs of words across {len(forms)} texts")

    def after(form: Sequence[str], taken: tuple[int, ...]) -> list[int]:
        """The texts (not those `taken`) whose first word follows this text's last in a private text."""
        nexts = follows.get(form[-1])
        if not nexts:
            return []
        spend(min(len(nexts), len(firsts)))
        words = [w for w in firsts if w in nexts] if len(firsts) <= len(nexts) else [w for w in nexts if w in firsts]
        out = [j for w in words for j in firsts[w] if j not in taken]
        spend(len(out))
        return out

    def note(run: str, order: tuple[int, ...]) -> None:
        nonlocal capped
        if not _kept(found.setdefault(run, []), order):
            capped = True

    for i, first in enumerate(forms):
        if not first:
            continue
        for m in after(first, (i,)):
            middle = forms[m]
            # in two: k words at the end of text i, the rest at the start of text m
            ks = range(max(1, size - len(middle)), min(size - 1, len(first)) + 1)
            spend(len(ks))
            for k in ks:
                run = " ".join([*first[-k:], *middle[:size - k]])
                if run in runs:
                    note(run, (i, m))
            if not through or len(middle) > size - 2:
                continue
            # in three: text m whole as the middle piece, the rest at the start of text j
            for j in after(middle, (i, m)):
                last = forms[j]
                ks = range(max(1, size - len(middle) - len(last)), min(len(first), size - 1 - len(middle)) + 1)
                spend(len(ks))
                for k in ks:
                    run = " ".join([*first[-k:], *middle, *last[:size - k - len(middle)]])
                    if run in runs:
                        note(run, (i, m, j))
    return found, capped
