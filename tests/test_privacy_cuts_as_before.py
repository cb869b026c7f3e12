"""`Cuts.across` finds what it found before each cut was looked up from its longer piece.

The check for a value cut across a call's texts looked each text's short end ("1") up in `heads` and
noted every value beginning so, whatever the other texts held; it now looks each cut up from its
longer, rarer piece. What must hold: the same values, the same orders of texts in the same order
(within `PAIRS`), the same `capped`, for values of digits, of letters and of words, long values
(past `WHOLE`, cut in the middle), cuts in two and three (`through` on and off), repeated texts
(past `PAIRS`), and budgets: where the old search stayed within `VISITS`, the new one does too and
answers the same; where it did not, the new one raises `TooManyCuts` too or answers what the old
one answers without a bound. The oracle is the old implementation, copied here as it was.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pytest

import guards._cuts as cuts_module
from guards._cuts import PAIRS, PIECE, VISITS, WHOLE, Cuts, TooManyCuts


# -- the oracle: `guards/_cuts.py` before each cut was looked up from its longer piece (`Cuts` as `OldCuts`, its helpers unchanged) --

_FEW = 8
"""Up to this many lengths, `Cuts._lengths` gives them all."""
_NOTHING = re.compile(r"(?!)")
"""A pattern that matches nowhere."""


class OldCuts:
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

    def extended(self, values: Iterable[str]) -> OldCuts:
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
        out = OldCuts(self.words)
        out.heads, out.tails, out.size = dict(self.heads), dict(self.tails), size  # entries are tuples: shared
        out.values, out.long, out.reach = self.values.union(new), (*self.long, *long), reach
        out.ends = (frozenset(firsts), frozenset(lasts))
        for index, more in ((out.heads, more_heads), (out.tails, more_tails)):
            for key, entries in more.items():  # one new tuple per key touched
                index[key] = (*index.get(key, ()), *entries)
        return out

    def across(self, forms: Sequence[Sequence[str]], *, through: bool = True,
               visits: int = VISITS) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
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
        budget = [visits]

        def spend(n: int) -> None:
            budget[0] -= n
            if budget[0] < 0:
                raise TooManyCuts(f"more than {visits} ways to cut values across {len(forms)} texts")

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


# -- the cases --

_BUDGETS = [VISITS] * 5 + [0, 1, 2, 4, 8, 20, 50, 100, 300, 1_000, 10_000]


def _chars_case(rnd: random.Random, alphabet: str, long: bool) -> tuple[list[list[str]], list[str]]:
    values = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(2, 14))) for _ in range(rnd.randint(1, 60))]
    values += [v[:rnd.randint(1, len(v))] + v for v in rnd.sample(values, min(5, len(values)))]  # shared pieces
    if long:  # past WHOLE: cut in the middle only by looking the texts' outer PIECE characters up in them
        for _ in range(rnd.randint(1, 3)):
            cycle = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(3, 40)))
            values.append((cycle * 800)[:rnd.randint(WHOLE + 1, 2 * WHOLE + 200)])
    texts: list[str] = []
    for _ in range(rnd.randint(2, 40)):
        kind = rnd.random()
        v = rnd.choice(values)
        if kind < 0.25:
            texts.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6))))
        elif kind < 0.65:  # a piece of a value, often longer than PIECE for a long one
            a = rnd.randint(0, len(v) - 1)
            texts.append(v[a:a + rnd.randint(1, 3 * PIECE if len(v) > WHOLE else 8)])
        elif kind < 0.75 and texts:
            texts.append(rnd.choice(texts))  # the same text again: past PAIRS orders
        elif kind < 0.85:  # a value cut in two or three, with something before and after
            a, b = sorted(rnd.sample(range(1, len(v)), 2)) if len(v) > 2 else (1, 1)
            texts += [rnd.choice(["", "x", "12"]) + v[:a], v[a:b], v[b:] + rnd.choice(["", "y", "0"])]
        else:  # a piece of a value with something before or after it
            a = rnd.randint(0, len(v) - 1)
            texts.append(rnd.choice(["", "x", "9", "zz "]) + v[a:a + rnd.randint(1, 90)] + rnd.choice(["", "y", "1"]))
    return _steps(rnd, values), texts


def _words_case(rnd: random.Random, long: bool) -> tuple[list[list[str]], list[list[str]]]:
    vocab = ["a", "b", "lunch", "friday", "on", "1"]
    values = [" ".join(rnd.choice(vocab) for _ in range(rnd.randint(2, 9))) for _ in range(rnd.randint(1, 40))]
    if long:
        values.append(" ".join(rnd.choice(vocab[:2]) for _ in range(rnd.randint(WHOLE + 1, WHOLE + 150))))
    texts: list[list[str]] = []
    for _ in range(rnd.randint(2, 30)):
        v = rnd.choice(values).split(" ")
        if rnd.random() < 0.3:
            texts.append([rnd.choice(vocab) for _ in range(rnd.randint(1, 4))])
        elif rnd.random() < 0.2 and texts:
            texts.append(rnd.choice(texts))
        elif rnd.random() < 0.3 and len(v) > 2:  # a value cut in two or three
            a, b = sorted(rnd.sample(range(1, len(v)), 2))
            texts += [["so", *v[:a]], v[a:b], [*v[b:], "ok"]]
        else:
            a = rnd.randint(0, len(v) - 1)
            texts.append(v[a:a + rnd.randint(1, 2 * PIECE if len(v) > WHOLE else 5)])
    return _steps(rnd, values), texts


def _steps(rnd: random.Random, values: list[str]) -> list[list[str]]:
    """The values given in one to three extensions, some given twice."""
    cut = sorted(rnd.sample(range(len(values) + 1), min(2, len(values) + 1)))
    return [values[:cut[0]], values[cut[0]:cut[-1]] + values[:2], values[cut[-1]:]]


def _same(steps: list[list[str]], forms: Sequence[Any], through: bool, visits: int, words: bool,
          monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = OldCuts(words), Cuts(words)
    for step in steps:
        old, new = old.extended(step), new.extended(step)
    want: Any
    try:
        want = old.across(forms, through=through, visits=visits)
    except TooManyCuts:
        want = None
    monkeypatch.setattr(cuts_module, "VISITS", visits)
    try:
        got = new.across(forms, through=through)
    except TooManyCuts:
        assert want is None, "the old search stayed within the budget: so must the new one"
        return
    if want is None:  # the new one did less work: it answers what the old one finds unbounded
        want = old.across(forms, through=through, visits=10**12)
    assert (list(got[0].items()), got[1]) == (list(want[0].items()), want[1])


@pytest.mark.parametrize("seed", range(240))
def test_cuts_of_characters_are_found_as_before(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(seed)
    alphabet = ["0123456789", "0123456789", "01", "ab1·"][seed % 4]
    steps, texts = _chars_case(rnd, alphabet, long=seed % 5 == 0)
    _same(steps, texts, seed % 3 != 0, rnd.choice(_BUDGETS), False, monkeypatch)


@pytest.mark.parametrize("seed", range(120))
def test_cuts_of_words_are_found_as_before(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(1000 + seed)
    steps, texts = _words_case(rnd, long=seed % 6 == 0)
    _same(steps, texts, seed % 3 != 0, rnd.choice(_BUDGETS), True, monkeypatch)


@pytest.mark.parametrize("through", [True, False])
def test_many_texts_and_many_values_sharing_their_ends_are_found_as_before(through, monkeypatch) -> None:
    # a thread's numbers (SSNs, note numbers) and a call of page numbers; then thousands of list items
    values = [f"{100000000 + k * 7919}" for k in range(1, 3001)] + [f"{k:05d}" for k in range(1, 3001)]
    pages = [str(1000 + 37 * k) for k in range(32)] + ["1571", "0", "00", "1", "0" * 9]
    items = [str(k % 977) for k in range(2000)] + ["100007", "919"]
    for forms in (pages[:16], pages, items):
        _same([values[::2], values[1::2]], forms, through, VISITS, False, monkeypatch)


def test_a_value_cut_in_three_reached_by_more_than_pairs_orders_is_found_as_before(monkeypatch) -> None:
    # a state held past PAIRS carries its wildness to the piece after a whole text, and on, in order
    values = ["1234567", "1234", "12", "34567"]
    for forms in ([*(["1"] * (PAIRS + 1)), "23", "45", "67"], ["1", "23", *(["45"] * (PAIRS + 2)), "67"],
                  [*(["x1"] * 9), *(["y1"] * 9), "2", "3", "4567", "34567"]):
        for through in (True, False):
            _same([values], forms, through, VISITS, False, monkeypatch)


def test_states_are_followed_through_whole_texts_in_the_order_the_texts_end_as_before(monkeypatch) -> None:
    # one value reached at the same cut from a short first piece (text 0) and a long one (text 1): the
    # orders are noted, and kept within PAIRS, in the order of the texts whose ends hold the pieces
    value = "".join(chr(ord("a") + (i * 7) % 26) + str(i % 10) for i in range(50))  # 100 characters
    forms = ["x" + value[:5], "y" + value[:70], value[5:80], value[70:80], value[80:] + "z"]
    for extra in ([], [forms[0]] * PAIRS, [forms[1]] * PAIRS):
        _same([[value, value[:90]]], forms + extra, True, VISITS, False, monkeypatch)
