"""Where a thread's values lie in the arguments of a call: the labels of the values found in a text,
the orders in which arguments are joined to find a value split across them, and the spans of the
values an approval covers."""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import chain
from typing import Any

from vfa import Label

from ._cuts import TooManyCuts
from ._forms import _WORD, MIN_DIGITS, SHINGLE, _digits_of, _join_readings, _norm_of, _words, _written
from ._index import _SEARCH_BUDGET, _Index
from ._observation import _join, _join_each

_SCAN = 256
"""Up to this many (argument run, private text) pairs, runs are looked up by substring search in the
private texts; beyond it, in a shingle table built once for the thread. Both give the same labels."""


def _orders(parts: list[str], idx: _Index) -> tuple[list[tuple[int, ...]], list[Label], bool]:
    """How texts (a call's arguments to one audience) are joined to find the values split across them:
    all of them forward and backward, and up to `_PAIRED` texts in every order (so every two side by
    side, and every three in a row, either way). Past that, only the orders of the texts that a value
    is cut across (`Cuts`: its first piece at the end of one, the rest at the start of another, and
    with at most `_THROUGH` texts, a whole text between them as its middle piece): every order would
    be n! joins. Returns the orders, the labels of the values found cut across texts, and whether not
    every order holding such a value is among the orders (`values_in` then cannot name them all)."""
    n = len(parts)
    forward = tuple(range(n))
    orders: list[tuple[int, ...]] = [forward, forward[::-1]]
    if n <= 2:
        return orders, [], False
    if n <= _PAIRED:
        return orders + _shuffled(n), [], False
    joins: set[tuple[int, ...]] = set()
    labels: list[Label] = []
    more = False
    try:
        found = []
        if idx.tracked:
            norms = [_norm_of(p) for p in parts]
            found.append((idx.tracked, idx.cut_across("tracked", norms, through=_few(norms)), None))
        if idx.digits:
            digits = [_digits_of(p).partition("|")[0] for p in parts]  # as written: a padded form would end a text
            found.append((idx.digits, idx.cut_across("digits", digits, through=_few(digits)), None))
        for words in _join_readings(parts) if idx.texts else ():
            places = [i for i, ws in enumerate(words) if ws]  # texts without words are left out, as labelling does
            found.append((idx.shingles, idx.cut_across("shingles", [words[k] for k in places],
                                                       through=len(places) <= _THROUGH), places))
    except TooManyCuts:  # more ways to cut than may be tested: join every two (or three) while few, else fail closed
        if n <= _THROUGH:
            return orders + _threes(n), [], False
        return (orders + _apart(n), [], False) if n <= _ALL_PAIRS else (orders, [_UNCUT], True)
    for values, (cut, capped), places in found:
        more = more or capped
        for value, where in cut.items():
            labels.append(values[value])
            joins.update(where if places is None else (tuple(places[i] for i in order) for order in where))
    # a run of texts side by side, in their order or against it, is in the forward or backward join
    apart = sorted(o for o in joins if not _in_a_row(o))
    return orders + apart[:_MAX_PAIRS], labels, more or len(apart) > _MAX_PAIRS


def _unit_cuts(units: Sequence[tuple[str, Any, int]], idx: _Index, *, apart: bool = False) -> list[Label]:
    """The labels of the digit tokens cut across the digit units of texts (`_digit_units`, each group
    made unique to its text): a value cut in two within one argument or across several, in either
    order, whatever stands between the pieces, and in three with a whole unit as its middle piece
    while at most `_THROUGH` runs hold digits; the outer pieces `_MIN_PIECE` digits or more (shorter
    ones meet everywhere: "Paid $278 on 05/11/20" is no SSN). With `apart`, not a value the texts also
    hold written whole (its pieces side by side, in order, within one run): what names it names it
    whole (one SSN in two mails is one value, not a cut). Texts with more than
    `_MAX_UNITS` units, or more ways to cut than the bound on cut tests, are labelled the user's alone
    (fail closed: padding the call hides no cut)."""
    if len(units) < 2 or not idx.digits:
        return []
    if len(units) > _MAX_UNITS:
        return [_UNCUT]
    groups: dict[Any, int] = {}
    for _d, group, _place in units:
        groups[group] = groups.get(group, 0) + 1
    runs = sum(1 for n in groups.values() if n == 1)  # a run is a group of its own; its pieces share one
    forms = [u[0] for u in units]
    try:
        cut, _capped = idx.cut_across("digits", forms, through=runs <= _THROUGH)
    except TooManyCuts:
        return [_UNCUT]
    digits = idx.digits
    out = []
    for value, orders in cut.items():
        kept = [o for o in orders if _long_pieces(value, [forms[k] for k in o])]
        if orders and not kept:
            continue
        if apart and kept and any(_written_whole(units, o) for o in kept):
            continue
        out.append(digits[value])
    return out


_MIN_PIECE = 3
"""The fewest digits an outer piece of a value cut within texts has to be found."""
_MAX_UNITS = 1024
"""The most digit units of one audience's texts read for values cut within them (their cost is linear in
the units; past it, the texts are labelled the user's alone)."""


def _long_pieces(value: str, forms: list[str]) -> bool:
    """Whether `value` is cut across `forms` (the first ending with its first piece, a whole middle
    form, the last starting with the rest) with outer pieces of at least `_MIN_PIECE` digits."""
    middle = forms[1] if len(forms) == 3 else ""
    for k in range(_MIN_PIECE, len(value) - len(middle) - _MIN_PIECE + 1):
        if (forms[0].endswith(value[:k]) and value[k:k + len(middle)] == middle
                and forms[-1].startswith(value[k + len(middle):])):
            return True
    return False


def _written_whole(units: Sequence[tuple[str, Any, int]], order: tuple[int, ...]) -> bool:
    """Whether an order of units is pieces of one run side by side, in their order (the value as written)."""
    group = units[order[0]][1]
    return all(units[k][1] == group for k in order) and all(
        units[b][2] == units[a][2] + 1 for a, b in zip(order, order[1:]))


def _few(forms: list[str]) -> bool:
    """Whether at most `_THROUGH` of the texts' forms hold anything (a value cut in three is then sought)."""
    return sum(1 for f in forms if f) <= _THROUGH


def _in_a_row(order: tuple[int, ...]) -> bool:
    """Whether an order is of texts side by side, in their order or against it."""
    step = order[1] - order[0]
    return abs(step) == 1 and all(b - a == step for a, b in zip(order, order[1:]))


def _apart(n: int) -> list[tuple[int, ...]]:
    """Every two of n texts that are not side by side, both ways."""
    return [(i, j) for i in range(n) for j in range(n) if abs(i - j) > 1]


@functools.cache
def _shuffled(n: int) -> list[tuple[int, ...]]:
    """Every order of n texts but forward and backward."""
    forward = tuple(range(n))
    return [o for o in itertools.permutations(forward) if o != forward and o != forward[::-1]]


@functools.cache
def _threes(n: int) -> list[tuple[int, ...]]:
    """Every three of n texts, in every order (so every two side by side, too)."""
    return list(itertools.permutations(range(n), 3))


_PAIRED = 3
"""Up to this many texts to one audience, they are joined in every order (four joins more)."""
_THROUGH = 16
"""Up to this many texts holding letters or digits (digits, for digit tokens; words, for private
texts), a value is also found cut in three, a whole text its middle piece; past it only cut in two: a
long list of short texts (numbered items) holds every digit token between its items, piece by piece,
though it discloses none. The call's author sets how many texts there are: a value cut in three
among more is missed."""
_UNCUT = Label(readers=frozenset(), sources=frozenset({"values-cut-past-bound"}), trusted=False)
"""The label of texts too many values could be cut across to test them all: readable by the user
alone, and what they disclose unknown (`values_in` counts it unbounded: a person is asked each time)."""
_JOINED = 8_000_000
"""The most characters the joins of one audience's texts may hold (every order's, in all); past it, the
texts are labelled `_UNCUT` (fail closed): a few long texts joined three by three in every order
would be tens of megabytes to search."""
_JOINED_NAMED = 1_000_000
"""The most characters of joins `values_in` reads word by word; past it (or past `_SEARCH_BUDGET`
values times characters), the call's values are unbounded: no approval covers them."""


def _joined_size(parts: Sequence[str], orders: Sequence[tuple[int, ...]]) -> int:
    """How many characters the joins of `parts` in `orders` hold, in all."""
    sizes = [len(p) for p in parts]
    return sum(sizes[i] for order in orders for i in order)


_MAX_PAIRS = 64
"""Past this many orders of texts with a value cut across them, `values_in` counts the call's values as
unbounded (no approval covers them)."""
_ALL_PAIRS = 32
"""Up to this many texts, every two are joined when too many values could be cut across them to test
(up to `_THROUGH`, every three)."""


_GLUED = 24
"""The fewest letters and digits of words run together by invisible marks that are looked for whole in
private texts (about six words)."""


def _glued_label(out: Label, text: str, idx: _Index) -> Label:
    """`out` joined with the label of every private text that holds, run together, the words one token
    of `text` glues with invisible marks (its marks removed), when they hold `_GLUED` letters and digits
    or more: words joined by marks with one cut by a mark too, which neither reading of the marks finds
    (removed, or taken for spaces). Past `_SEARCH_BUDGET`, every private text's (fail closed)."""
    glued = [g for t in text.split() if not t.isascii() and len(g := "".join(_words(t))) >= _GLUED]
    if not glued or not idx.texts:
        return out
    if len(glued) * sum(map(len, idx.texts)) > _SEARCH_BUDGET:
        return _join_each(out, idx.texts.values())
    found = []
    for private, lbl in idx.texts.items():
        run = private.replace(" ", "")
        if any(g in run for g in glued):
            found.append(lbl)
    return _join_each(out, found)


def _text_label(out: Label, words: list[str], idx: _Index, starts: list[int] | None = None) -> Label:
    """`out` joined with the label of every private text of which `words` hold six consecutive words
    (only the runs beginning at `starts`, if given)."""
    runs = range(len(words) - SHINGLE + 1) if starts is None else starts
    return _runs_label(out, [" ".join(words[i:i + SHINGLE]) for i in runs], idx) if runs else out


def _runs_label(out: Label, runs: Collection[str], idx: _Index) -> Label:
    """`out` joined with the label of every private text holding one of `runs` (six words each, joined
    by single spaces), as `_text_label` finds them: by substring search in the private texts (each
    " word word ... ") while few, else in the shingle table (both give the same labels)."""
    if not runs:
        return out
    if len(runs) * len(idx.texts) <= _SCAN:
        padded = [f" {run} " for run in runs]
        for private, lbl in idx.texts.items():
            if _join(out, lbl) is not out and any(map(private.__contains__, padded)):
                out = _join(out, lbl)
        return out
    shingles = idx.shingles
    return _join_each(out, [lbl for run in runs if (lbl := shingles.get(run)) is not None])


def _digit_label(out: Label, digits: str, idx: _Index) -> Label:
    """`out` joined with the label of every digit token found in `digits` (an argument's digits in order)."""
    if len(digits) >= MIN_DIGITS:
        tracked = idx.digits
        out = _join_each(out, [tracked[d] for d in idx.digits_in(digits)])
    return out


class _TooMany(Exception):
    """More values in one call than an approval is worked out for (`_MAX_VALUES`)."""


_MAX_VALUES = 256
"""The most matches worked out for one call's approval; past it, the call is asked about each time."""


class _Places:
    """Where the words, letters and digits of a lower-cased text are, worked out when first asked for."""

    def __init__(self, low: str) -> None:
        self.low = low
        self._runs: list[tuple[int, int]] | None = None

    @property
    def runs(self) -> list[tuple[int, int]]:
        """(start, end) of each word: a run of letters and digits."""
        if self._runs is None:
            self._runs = [m.span() for m in _WORD.finditer(self.low)]
        return self._runs

    def starts(self) -> list[int]:
        return [a for a, _b in self.runs]

    def ends(self) -> list[int]:
        return [b for _a, b in self.runs]

    def alnum(self) -> list[int]:
        """The place of each letter or digit, in order."""
        return list(chain.from_iterable(range(a, b) for a, b in self.runs))

    def digits(self) -> list[int]:
        """The place of each digit, in order."""
        return [m.start() for m in _DIGIT_CHAR.finditer(self.low)]


_DIGIT_CHAR = re.compile(r"\d")


def _spans(text: str, flat: str, places: Callable[[], list[int]], tracked: Mapping[str, Any], into: set[str],
           words: _Places, seen: list[int], written: tuple[list[int], list[str | None]] | None) -> None:
    """Add to `into` how each occurrence of a tracked value in `flat` (the characters of `text` at the
    positions `places()` gives) is written in `text`: the whole words it lies in (`words`), runs of
    white space as one space, and those words as written where folding changed them (`written`, see
    `_written`). `seen` counts the occurrences worked out for the call."""
    found = [*filter(flat.__contains__, tracked)]
    if not found:
        return
    at, starts, ends = places(), words.starts(), words.ends()
    for value in found:
        i = flat.find(value)
        while i >= 0:
            seen[0] += 1
            if seen[0] > _MAX_VALUES:
                raise _TooMany
            first = bisect_right(starts, at[i]) - 1  # the word holding the value's first character
            last = bisect_right(starts, at[i + len(value) - 1]) - 1
            a, b = starts[first], ends[last]
            into.add("\0".join(("value", " ".join(text[a:b].split()), *_written(a, b, written))))
            i = flat.find(value, i + 1)
