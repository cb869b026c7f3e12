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
        """A value's first piece (its last `PIECE` characters or words) -> (the value, the cut), those
        where it is the longer piece first (`_first_longer`)."""
        self.tails: dict[str, tuple[tuple[str, int], ...]] = {}
        """A value's last piece (its first `PIECE` characters or words) -> (the value, the cut), those
        where it is the longer piece (and the first shorter than `PIECE`) first (`_last_longer`). A text
        ending in "1" holds the first piece
        of every value beginning so: `across` looks each cut up from its longer (rarer) piece, reading
        an entry's cuts up to the first whose piece there is the shorter, and tests the other piece
        against the texts."""
        self.words = words
        self.size = 0
        """How many cuts are indexed."""
        self.values: dict[str, int] = {}
        """The values indexed (each once, however often it is given) -> their place in the order given:
        `across` notes what it finds in the order of the texts, of their ends by length, then of these."""
        self.long: tuple[str, ...] = ()
        """Values longer than `WHOLE` (characters or words): their cuts with both pieces longer than
        `PIECE` are not indexed; of characters, they are found by looking a text's outer `PIECE`
        characters up in them."""
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
            if n > WHOLE:
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
                entry = (value, cut)
                more_heads.setdefault(head, []).append(entry)
                more_tails.setdefault(tail, []).append(entry)
                size += 1
        if not new:  # nothing to add: these cuts serve as they are (never changed)
            return self
        out = Cuts(self.words)
        out.heads, out.tails, out.size = dict(self.heads), dict(self.tails), size  # entries are tuples: shared
        out.values = {**self.values, **{v: len(self.values) + k for k, v in enumerate(new)}}
        out.long, out.reach = (*self.long, *long), reach
        out.ends = (frozenset(firsts), frozenset(lasts))
        for index, more, longer in ((out.heads, more_heads, _first_longer), (out.tails, more_tails, _last_longer)):
            for key, entries in more.items():  # one new tuple per key touched: the cuts looked up by it first
                old = index.get(key, ())
                at = _longer(old, longer, self.words)
                index[key] = (*old[:at], *(e for e in entries if longer(e, self.words)), *old[at:],
                              *(e for e in entries if not longer(e, self.words)))
        return out

    def across(self, forms: Sequence[Sequence[str]], *,
               through: bool = True) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
        """The values cut across two or three of the texts: value -> the orders (i, j) or (i, m, j) of
        distinct texts holding it between them: text i ends with its first piece, text m is the whole
        middle piece, and text j starts with the rest; and whether some value had more than `PAIRS`
        such orders (only `PAIRS` are listed: a value may then be listed with none). Without `through`,
        only values cut in two. Texts are strings, or lists of words (`words`). Raises `TooManyCuts`
        past `VISITS` entries tested.

        Each cut is looked up from its longer piece (a short one, "1", is where thousands of values
        begin), so the work grows with the cuts the texts' longer ends hold, not with every value that
        shares a character with them; what is found, and in what order, is what testing every cut a
        text's end holds in the order of `heads` finds."""
        if not self.heads or len(forms) < 2:
            return {}, False
        return _Across(self, forms).run(through)

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


class _Across:
    """One `Cuts.across`: the cut states (value, cut) that matter, each looked up from its longer piece,
    and the orders of texts noted for them as testing every cut a text's end holds (the order of the
    texts, then of `heads`) notes them, so that what is kept within `PAIRS` is the same."""

    def __init__(self, cuts: Cuts, forms: Sequence[Sequence[str]]) -> None:
        self.cuts, self.forms, self.words = cuts, forms, cuts.words
        self.budget = VISITS
        self.held: dict[tuple[str, int], list[tuple[int, ...]]] = {}
        """Cut states held by texts -> the orders of texts holding the value up to the cut (the last
        one ending there): those whose last piece some text starts with, or which a whole text follows."""
        self.wild: set[tuple[str, int]] = set()
        """States reached by more than `PAIRS` orders: followed on as reached by any texts (fail closed)."""
        self.capped = False
        self._split: dict[str, list[str]] = {}
        self._tried: set[tuple[str, int]] = set()
        """States whose texts were looked for (`hold`): each is looked for once."""
        join = " ".join if self.words else None
        self.key = join
        # the texts' ends and starts that are a piece of some value -> the texts with them, in order; an
        # end of `PIECE` is kept whatever it is (a long value's middle cuts are indexed nowhere)
        self.ends: dict[str, list[int]] = {}
        self.starts: dict[str, list[int]] = {}
        self.short_ends: dict[str, int] = {}
        """The texts' ends shorter than `PIECE` that are first pieces -> their length."""
        self.longer: dict[str, int] = {}
        """A short end -> how many of its cuts in `heads` have it as their longer piece (read first)."""
        heads, tails, reach = cuts.heads, cuts.tails, cuts.reach
        for i, form in enumerate(forms):
            top = min(PIECE, len(form), reach)
            for k in cuts._lengths(form, top, True):
                piece = join(form[-k:]) if join else form[-k:]
                if k < PIECE:
                    if piece not in heads:
                        continue
                    self.short_ends[piece] = k  # type: ignore[index]
                self.ends.setdefault(piece, []).append(i)  # type: ignore[arg-type]
            for k in cuts._lengths(form, top, False):
                piece = join(form[:k]) if join else form[:k]
                if k == PIECE or piece in tails:
                    self.starts.setdefault(piece, []).append(i)  # type: ignore[arg-type]

    def spend(self, n: int) -> None:
        self.budget -= n
        if self.budget < 0:
            raise TooManyCuts(f"more than {VISITS} ways to cut values across {len(self.forms)} texts")

    def tokens(self, value: str) -> Sequence[str]:
        if not self.words:
            return value
        split = self._split.get(value)
        if split is None:
            split = self._split[value] = value.split(" ")
        return split

    def _piece(self, tokens: Sequence[str]) -> str:
        return self.key(tokens) if self.key else tokens  # type: ignore[return-value]

    def _found(self, value: str, cut: int) -> bool:
        """Whether a cut can be found: words are cut only where indexed (characters also by `_middles`)."""
        n = len(self.tokens(value))
        return not self.words or n <= WHOLE or cut <= PIECE or cut >= n - PIECE

    def texts_ending(self, value: str, cut: int) -> Sequence[int]:
        """The texts ending with the value's first `cut` characters (words), in order. A first piece of
        `PIECE` or more is tested against each text ending as it does: counted."""
        if not self._found(value, cut):
            return ()
        tokens = self.tokens(value)
        got = self.ends.get(self._piece(tokens[max(0, cut - PIECE):cut]), ())
        if cut < PIECE or not got:
            return got
        self.spend(len(got))
        return got if cut == PIECE else [i for i in got if _ends(self.forms[i], value, cut, self.words)]

    def texts_starting(self, value: str, cut: int) -> Sequence[int]:
        """The texts starting with the value's characters (words) from `cut` on, in order."""
        if not self._found(value, cut):
            return ()
        tokens = self.tokens(value)
        got = self.starts.get(self._piece(tokens[cut:cut + PIECE]), ())
        if len(tokens) - cut <= PIECE or not got:
            return got
        return [j for j in got if _starts(self.forms[j], value, cut, self.words)]

    def hold(self, state: tuple[str, int], texts: Sequence[int] | None = None) -> bool:
        """Hold a state with the texts ending with its first piece, if any do (and it is not held)."""
        if state in self.held:
            return True
        if texts is None:
            if state in self._tried:
                return False
            self._tried.add(state)
            texts = self.texts_ending(*state)
        if not texts:
            return False
        self.held[state] = [(i,) for i in texts[:PAIRS]]
        if len(texts) > PAIRS:
            self.capped = True
            self.wild.add(state)
        return True

    def note(self, state: tuple[str, int], order: tuple[int, ...]) -> None:
        if not _kept(self.held.setdefault(state, []), order):
            self.capped = True
            self.wild.add(state)

    def run(self, through: bool) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
        cuts, forms, words, spend = self.cuts, self.forms, self.words, self.spend
        ends, starts = self.ends, self.starts
        # every cut a short end holds is held by the same texts: past `PAIRS` of them, some value is
        self.capped = any(len(ends[piece]) > PAIRS for piece in self.short_ends)
        heads, tails, longer = cuts.heads, cuts.tails, self.longer
        for piece in self.short_ends:  # cuts whose first piece is the longer: held if the last starts a text
            entries = heads[piece]
            longer[piece] = at = _longer(entries, _first_longer, words)
            spend(at)
            for value, cut in entries[:at]:
                if self._piece(self.tokens(value)[cut:]) in starts:
                    self.hold((value, cut), ends[piece])
        for piece in ends:  # a first piece of `PIECE`: a long one, tested against each text ending so
            if piece not in self.short_ends:
                for value, cut in heads.get(piece, ()):
                    self.hold((value, cut))
        if not words and cuts.long:  # a long value cut where both pieces are longer than PIECE
            middles: dict[tuple[str, int], list[int]] = {}
            for i, form in enumerate(forms):
                if len(form) > PIECE:
                    # only where its first piece fits in the text; each test copies the piece: counted by length
                    for value, cut in _middles(cuts.long, form[-PIECE:], PIECE, spend, len(form), first=True):  # type: ignore[arg-type]
                        spend(cut // 1024)
                        if form.endswith(value[:cut]):  # type: ignore[union-attr]
                            middles.setdefault((value, cut), []).append(i)
            for state, texts in middles.items():
                self.hold(state, texts)
        if not self.short_ends and not self.held:  # no text ends as a value begins
            return {}, self.capped
        for piece in starts:  # cuts whose last piece is the longer: held if the first ends a text
            entries = tails.get(piece, ())
            at = _longer(entries, _last_longer, words)
            spend(at)
            for value, cut in entries[:at]:
                self.hold((value, cut))
        if through:
            self._through()
        return self._finish()

    def _order(self, state: tuple[str, int], first: int, at_end: bool) -> tuple[int, ...]:
        """Where testing the texts in order, each end (start) by length, meets a state: text `first`."""
        value, cut = state
        n = len(self.tokens(value))
        place = self.cuts.values[value]
        piece = cut if at_end else n - cut
        if n > WHOLE and PIECE < cut < n - PIECE:  # found by `_middles`, after the pieces looked up
            return (first, 1, place, cut)
        return (first, 0, min(piece, PIECE), place, cut)

    def _through(self) -> None:
        """Follow each state through a text that is the whole next piece of the value (a value cut into
        three pieces, the middle one a text of its own), in the order testing every text's end finds the
        states: a state reached by more than `PAIRS` orders makes those it reaches so in that order."""
        cuts, forms, spend = self.cuts, self.forms, self.spend
        wholes: dict[Any, list[int]] = {}
        for m, form in enumerate(forms):
            if form:
                wholes.setdefault(self._piece(form), []).append(m)
        if not wholes:
            return
        sizes = {piece: len(forms[ms[0]]) for piece, ms in wholes.items()}
        lengths = sorted(set(sizes.values()))
        moves: dict[tuple[str, int], list[tuple[int, list[int]]]] = {}

        def walk(value: str, cut: int) -> None:  # a state: every piece after it that is a whole text
            tokens = self.tokens(value)
            n = len(tokens)
            for size in lengths:
                end = cut + size
                if end >= n:  # the last piece is left for the text that starts with it
                    break
                spend(1 + size // 1024)  # the piece is read to be looked up: long ones count more
                texts = wholes.get(self._piece(tokens[cut:end]))
                if texts:
                    moves.setdefault((value, cut), []).append((end, texts))

        for value, cut in list(self.held):  # first pieces of `PIECE` and more: held if any text ends so
            if cut >= PIECE:
                walk(value, cut)
        short, longer = self.short_ends, self.longer
        # the values sharing the texts' short ends, less those looked up already: read each, or look the
        # texts' short ends and whole texts up together, whichever is less
        rest = sum(len(cuts.heads[piece]) - longer[piece] for piece in short)
        if self._short_within(wholes, sizes, rest - len(cuts.long) * len(set(short.values()))):
            self._short_moves(wholes, sizes, moves, walk)
        else:  # more texts, or more cuts, than values sharing their ends: each such value, as testing them all does
            for piece in short:
                entries = cuts.heads[piece]
                spend(len(entries) - longer[piece])
                for value, cut in entries:
                    walk(value, cut)
        for state in moves:
            self.hold(state)  # a first piece the texts hold: a state
        held, wild = self.held, self.wild
        for state in sorted(moves, key=lambda s: self._order(s, held[s][0][0], True)):
            value, cut = state
            orders = held[state]
            for end, texts in moves[state]:
                reached = (value, end)
                self.hold(reached)  # its own texts first, as when every end was tested
                spend(len(texts) * len(orders))
                for m in texts:
                    for order in orders:
                        if len(order) == 1 and m != order[0]:  # a first piece's text (not one followed already)
                            self.note(reached, (*order, m))
                    if state in wild:  # reached by more texts than were kept: any of them
                        wild.add(reached)
                        held.setdefault(reached, [])

    def _short_pairs(self, wholes: dict[Any, list[int]], sizes: dict[Any, int]) -> Iterator[
            tuple[int, list[int], int, str, Sequence[tuple[str, int]]]]:
        """Each short first piece a text ends with, followed by each whole text: (its length, the whole
        text's texts, the cut after both, the two joined, the entries of `heads` for the first piece
        they make). One of `PIECE` or more is keyed by its last `PIECE`: its entry holds every cut
        sharing them (a value repeating one character, at each of its cuts)."""
        heads, words = self.cuts.heads, self.words
        for piece, k in self.short_ends.items():
            for whole, texts in wholes.items():
                end = k + sizes[whole]
                joined = f"{piece} {whole}" if words else piece + whole
                if end >= PIECE:
                    head = joined.split(" ") if words else joined
                    yield k, texts, end, joined, heads.get(self._piece(head[-PIECE:]), ())
                else:
                    yield k, texts, end, joined, heads.get(joined, ())

    def _short_within(self, wholes: dict[Any, list[int]], sizes: dict[Any, int], most: int) -> bool:
        """Whether `_short_moves` tests at most `most` entries of `heads` (the values sharing the texts'
        short ends, which walking them reads): looked up, not spent (at most `most` look-ups, each read
        once more if chosen), so the search never tests more than walking each value does."""
        if len(self.short_ends) * len(wholes) > most:
            return False
        for _k, _texts, _end, _joined, entries in self._short_pairs(wholes, sizes):
            most -= 1 + len(entries)
            if most < 0:
                return False
        return True

    def _short_moves(self, wholes: dict[Any, list[int]], sizes: dict[Any, int],
                     moves: dict[tuple[str, int], list[tuple[int, list[int]]]], walk: Any) -> None:
        """The whole texts after a short first piece a text ends with: the values beginning with the
        piece and the text together, looked up as the first piece they make (few texts, many values)."""
        cuts, spend = self.cuts, self.spend
        for k, texts, end, joined, entries in self._short_pairs(wholes, sizes):
            spend(1 + len(entries))
            if end < PIECE:  # the values beginning with both: each is one
                for value, _cut in entries:
                    if len(self.tokens(value)) <= WHOLE:
                        moves.setdefault((value, k), []).append((end, texts))
                continue
            for value, cut in entries:
                tokens = self.tokens(value)
                if cut == end and len(tokens) <= WHOLE and self._piece(tokens[:end]) == joined:
                    moves.setdefault((value, k), []).append((end, texts))
        ks = sorted(set(self.short_ends.values()))
        for value in cuts.long:  # indexed only near their ends: walked from each short first piece
            tokens = self.tokens(value)
            spend(len(ks))
            for k in ks:
                if self._piece(tokens[:k]) in self.short_ends:
                    walk(value, k)
        for steps in moves.values():
            steps.sort(key=lambda step: step[0])

    def _finish(self) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
        """The values whose held states' last pieces start other texts, noted as testing the texts in
        order, each start by length, notes them."""
        held, wild = self.held, self.wild
        meets = []
        for state in held:
            texts = self.texts_starting(*state)
            self.spend(len(texts))
            meets.extend((self._order(state, j, False), state, j) for j in texts)
        meets.sort()
        found: dict[str, list[tuple[int, ...]]] = {}
        for _where, state, j in meets:
            value = state[0]
            new = value not in found
            orders = found.setdefault(value, [])
            if self.capped and len(orders) >= PAIRS:  # no room, and said so: nothing more to note
                continue
            if state in wild:  # reached by more orders than were kept: found whatever texts they were
                self.capped = True
            for order in held.get(state, ()):
                if j not in order and not _kept(orders, (*order, j)):
                    self.capped = True
            if new and not orders and state not in wild:
                del found[value]
        return found, self.capped


def _first_longer(entry: tuple[str, int], words: bool) -> bool:
    """Whether a cut's first piece (as `heads` holds it) is at least as long as its last."""
    value, cut = entry
    return cut >= PIECE or _length(value, words) <= 2 * cut


def _last_longer(entry: tuple[str, int], words: bool) -> bool:
    """Whether a cut's last piece (as `tails` holds it) is longer than its first."""
    value, cut = entry
    return cut < PIECE and 2 * cut < _length(value, words)


def _longer(entries: Sequence[tuple[str, int]], longer: Any, words: bool) -> int:
    """How many of an entry's cuts, at its start, are looked up by it (`longer`): those first."""
    at = 0
    for entry in entries:
        if not longer(entry, words):
            break
        at += 1
    return at


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
