"""A thread's observations merged for look-up (`_Index`): tracked values, digit tokens, private texts,
record keys and taint, and the strings looked for many at once (`_Needles`)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from vfa import Label

from ._cuts import Cuts
from ._forms import SHINGLE
from ._observation import Observation, _join, _merge, _shingles_of

_GRAMMED = 256
"""Past this many strings (and more than a text has characters), `_Needles` looks them up by place."""


class _Needles:
    """Strings to look for in texts, many at once (the values of a thread's handles). While few, each
    is tested in C; past `_GRAMMED` each is indexed under the rarest three characters it holds (values
    often share a prefix: every SSN of one office, every note "private note ..."), and each place in
    a text looks up the strings holding the three characters there: a long thread holds thousands of
    values, a result is a few hundred characters. Extended, never changed: a snapshot serves a reader
    while the thread mints more."""

    __slots__ = ("items", "_grams")

    def __init__(self, items: tuple[str, ...] = (), grams: dict[str, tuple[tuple[int, int], ...]] | None = None) -> None:
        self.items = items
        self._grams = grams

    def extended(self, more: Sequence[str]) -> _Needles:
        if not more:
            return self
        grams = self._grams
        if grams is not None:
            grams = dict(grams)
            _gram_index(grams, more, len(self.items))
        return _Needles((*self.items, *more), grams)

    def found_in(self, text: str) -> list[int]:
        """The places in `items` of the strings that occur in `text`, in order."""
        items = self.items
        if len(items) <= _GRAMMED or len(items) <= len(text):
            return [*itertools.compress(range(len(items)), map(text.__contains__, items))]
        grams = self._grams
        if grams is None:
            grams = {}
            _gram_index(grams, items, 0)
            self._grams = grams  # the same for every thread that builds it: a race only builds it twice
        found = {i for i, _ in grams.get("", ()) if items[i] in text}  # shorter than three characters
        get, starts = grams.get, text.startswith
        for p in range(len(text) - 2):
            for i, at in get(text[p:p + 3], ()):
                if p >= at and starts(items[i], p - at):
                    found.add(i)
        return sorted(found)


def _gram_index(grams: dict[str, tuple[tuple[int, int], ...]], items: Sequence[str], first: int) -> None:
    """Add `items`, numbered from `first`, to `grams`: each under the three characters it holds that
    fewest others are under yet, with their place in it ("" for strings shorter than three)."""
    for i, item in enumerate(items, first):
        if len(item) < 3:
            g, at = "", 0
        else:
            at = min(range(len(item) - 2), key=lambda j: len(grams.get(item[j:j + 3], ())))
            g = item[at:at + 3]
        grams[g] = (*grams.get(g, ()), (i, at))


class _Index:
    """What argument labelling needs from a thread's observations, merged: built once per observation.

    Joins are order-free, so merging the observations' tracked values, private texts, record keys and
    taints gives the labels the per-observation scans gave. Trusted texts are normalised
    letters and digits joined by "|", so a normalised argument is in the joined text exactly when it
    is in one observation's text.
    """

    __slots__ = ("obs", "tracked", "texts", "keys", "taint", "digits", "_text", "_words", "_shingles", "_needles", "_cuts")

    def __init__(self, obs: tuple[Observation, ...] = (), tracked: dict[str, Label] | None = None,
                 texts: dict[str, Label] | None = None, keys: dict[tuple[str, str], Label] | None = None,
                 taint: Label | None = None, digits: dict[str, Label] | None = None) -> None:
        self.obs = obs
        self.tracked: dict[str, Label] = tracked if tracked is not None else {}
        self.texts: dict[str, Label] = texts if texts is not None else {}
        self.keys: dict[tuple[str, str], Label] = keys if keys is not None else {}
        self.taint = taint
        self.digits: dict[str, Label] = digits if digits is not None else {}
        self._text: str | None = None
        self._words: frozenset[str] | None = None
        self._shingles: dict[str, Label] | None = None
        self._needles: dict[str, _Needles] = {}
        """"tracked" / "digits" -> their values as `_Needles` (built once there are many)."""
        self._cuts: dict[str, Cuts] = {}
        """"tracked" / "digits" / "shingles" -> where their values can be cut (built on first use)."""

    def tracked_in(self, text: str) -> list[str]:
        """The tracked values that occur in `text`, in order."""
        return self._found("tracked", text)

    def digits_in(self, text: str) -> list[str]:
        """The tracked digit tokens that occur in `text` (an argument's digits), in order."""
        return self._found("digits", text)

    def cut_across(self, kind: str, forms: Sequence[Any], *,
                   through: bool = True) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
        """The values of `kind` ("tracked", "digits", "shingles") cut across the texts' forms, each with
        the orders of texts holding it between them (`Cuts.across`; `through`: also through whole texts)."""
        cuts = self._cuts.get(kind)
        if cuts is None:  # a race only builds it twice
            values = tuple(getattr(self, "texts" if kind == "shingles" else kind))
            key = (kind, values) if len(values) <= _CUTS_SHARED else None
            cuts = _CUTS.get(key) if key is not None else None
            if cuts is None:
                cuts = Cuts(words=kind == "shingles").extended(_runs(values) if kind == "shingles" else values)
                if key is not None:
                    _share_cuts(key, cuts)
            self._cuts[kind] = cuts
        return cuts.across(forms, through=through)

    def _found(self, kind: str, text: str) -> list[str]:
        values: dict[str, Label] = getattr(self, kind)
        if len(values) <= _GRAMMED:  # the substring tests run in C, one per value
            return [*filter(text.__contains__, values)]
        needles = self._needles.get(kind)
        if needles is None:  # a race only builds it twice
            needles = self._needles[kind] = _Needles(tuple(values))
        items = needles.items
        return [items[i] for i in needles.found_in(text)]

    def extended(self, more: list[Observation]) -> _Index:
        if not more:
            return self
        tracked, texts, keys, taint = dict(self.tracked), dict(self.texts), dict(self.keys), self.taint
        digits = dict(self.digits)
        for o in more:
            o_tracked, o_digits, o_texts = o.maps
            _merge(digits, o_digits)
            _merge(tracked, o_tracked)
            _merge(texts, o_texts)
            _merge(keys, o.keys)
            if o.untrusted is not None:
                taint = o.untrusted if taint is None else _join(taint, o.untrusted)
        out = _Index((*self.obs, *more), tracked, texts, keys, taint, digits)
        if self._shingles is not None:
            out._shingles = _shingles_of((t for o in more for t in o.texts), dict(self._shingles))
        if self._text is not None:
            out._text = "|".join((self._text, *(o.trusted_text for o in more))) if self.obs else None
        if self._words is not None:
            out._words = self._words.union(*(o.trusted_words for o in more))
        for kind, needles in list(self._needles.items()):  # a merge joins labels in place: new keys come last
            out._needles[kind] = needles.extended([*itertools.islice(getattr(out, kind), len(needles.items), None)])
        for kind, cuts in list(self._cuts.items()):
            values = "texts" if kind == "shingles" else kind
            more = itertools.islice(getattr(out, values), len(getattr(self, values)), None)
            out._cuts[kind] = cuts.extended(_runs(more) if kind == "shingles" else more)
        return out

    @property
    def shingles(self) -> dict[str, Label]:
        if self._shingles is None:
            self._shingles = _shingles_of(self.texts.items())
        return self._shingles

    @property
    def trusted_text(self) -> str:
        if self._text is None:
            self._text = "|".join(o.trusted_text for o in self.obs)
        return self._text

    @property
    def trusted_words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset().union(*(o.trusted_words for o in self.obs))
        return self._words


_EMPTY_INDEX = _Index()

_CUTS: dict[tuple[str, tuple[str, ...]], Cuts] = {}
"""Recently built `Cuts` by their values: threads that read the same records (a user's contacts in
every conversation) share them (never changed: `Cuts.extended` makes a new one)."""
_CUTS_SHARED = 1024
"""Sets of at most this many values are shared; a longer thread builds its own and extends it."""
_CUTS_KEPT = 200_000
"""How many cuts the shared `Cuts` hold together at most (the oldest go first)."""
_cuts_held = [0]
_cuts_lock = threading.Lock()


def _share_cuts(key: tuple[str, tuple[str, ...]], cuts: Cuts) -> None:
    """Keep `cuts` for other threads with the same values, within `_CUTS_KEPT` cuts in all."""
    size = cuts.size
    if size > _CUTS_KEPT:
        return
    with _cuts_lock:
        if key in _CUTS:
            return
        while _CUTS and _cuts_held[0] + size > _CUTS_KEPT:
            _cuts_held[0] -= _CUTS.pop(next(iter(_CUTS))).size
        _CUTS[key] = cuts
        _cuts_held[0] += size


def _runs(texts: Iterable[str]) -> Iterable[str]:
    """The six-word runs of private texts, as `shingles` keys them."""
    for text in texts:
        words = text.split()
        for i in range(len(words) - SHINGLE + 1):
            yield " ".join(words[i:i + SHINGLE])
