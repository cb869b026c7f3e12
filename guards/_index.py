"""A thread's observations merged for look-up (`_Index`): tracked values, digit tokens, private texts,
record keys and taint, and the strings looked for many at once (`_Needles`)."""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from vfa import Label

from ._cuts import Cuts, TooManyCuts, runs_across
from ._forms import SHINGLE
from ._observation import Observation, _join, _merge, _shingles_of

_GRAMMED = 256
"""Past this many strings (and more than a text has characters), `_Needles` looks them up by place."""
_GRAM = 4
"""The characters of a key of `_Needles`' index: four, so values written with ten digits (account and
card numbers, every SSN of a thread) spread over ten thousand keys, not a thousand."""
_KEYED = 64
"""The places in a string among which `_gram_index` picks its key."""
_ACROSS_KEPT = 4
"""`_Index.cut_across` answers kept per index."""
_SEARCH_BUDGET = 500_000_000
"""Strings times characters past which `_Needles.found_in` takes every string to occur in a text (a
quarter of a second of substring tests: a 1 MB result on a thread holding 500 values)."""
_GRAM_BUDGET = 1_000_000
"""Strings tested at places past which `_Needles.found_in`, looking up by place, takes every string to
occur (about a tenth of a second; an ordinary look-up tests a few strings a place, but values written
with few characters share all their keys, and a text of them tests a share of every
value at every place)."""


class _Line:
    """The strings of one line of `_Needles` snapshots, each made by extending the one before, and
    their index by place (None until first needed): shared by the snapshots, each of which
    reads only the first strings, as many as it holds. Extending the newest snapshot appends here in
    place, so a long thread that mints a value per step pays for that value alone, not the whole list."""

    __slots__ = ("grams", "items", "keyed_whole", "labels", "lock")

    def __init__(self, items: list[str], labels: list[Label] | None = None,
                 grams: dict[str, tuple[tuple[int, int], ...]] | None = None, keyed_whole: bool = False) -> None:
        self.items = items
        self.labels = labels
        """The label of each string, if the snapshots were made with labels."""
        self.grams = grams
        self.keyed_whole = keyed_whole
        """Whether `grams` holds a string one character shorter than a key, under itself."""
        self.lock = threading.Lock()


class _Needles:
    """Strings to look for in texts, many at once (the values of a thread's handles). While few, each
    is tested in C; past `_GRAMMED` each is indexed under the rarest `_GRAM` characters it holds (values
    often share a prefix: every SSN of one office, every note "private note ..."), and each place in
    a text looks up the strings holding the characters there: a long thread holds thousands of
    values, a result is a few hundred characters. Extended, never changed: a snapshot serves a reader
    while the thread mints more (`_Line`)."""

    __slots__ = ("_line", "_n")

    def __init__(self, items: Iterable[str] = (), labels: Iterable[Label] | None = None, *,
                 line: _Line | None = None, n: int = 0) -> None:
        if line is None:
            line = _Line(list(items), None if labels is None else list(labels))
            n = len(line.items)
        self._line = line
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> str:
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._line.items[i]

    def label(self, i: int) -> Label:
        """The label of the `i`th string (a snapshot made with labels)."""
        if not 0 <= i < self._n or self._line.labels is None:
            raise IndexError(i)
        return self._line.labels[i]

    @property
    def items(self) -> tuple[str, ...]:
        """The strings, in order (a copy: for tests and small lists)."""
        return tuple(self._line.items[:self._n])

    def extended(self, more: Sequence[str], labels: Sequence[Label] | None = None) -> _Needles:
        """This snapshot and `more` (with their `labels`, in a snapshot made with labels)."""
        if not more:
            return self
        line, n = self._line, self._n
        if (line.labels is None) != (labels is None) or (labels is not None and len(labels) != len(more)):
            raise ValueError("labels are given for every string of a line of snapshots, or for none")
        with line.lock:
            if len(line.items) == n:  # the newest snapshot: the line grows in place
                if line.grams is not None:
                    line.keyed_whole = _gram_index(line.grams, more, n) or line.keyed_whole
                line.items.extend(more)
                if labels is not None:
                    line.labels.extend(labels)
                return _Needles(line=line, n=len(line.items))
        # a snapshot was made from this one already: the line branches here, with an index of its own
        grams, keyed_whole = line.grams, line.keyed_whole
        if grams is not None:
            grams = {g: kept for g, entries in list(grams.items()) if (kept := tuple(e for e in entries if e[0] < n))}
            keyed_whole = _gram_index(grams, more, n) or keyed_whole
        branch = _Line([*line.items[:n], *more], None if labels is None else [*line.labels[:n], *labels], grams,
                      keyed_whole)
        return _Needles(line=branch, n=len(branch.items))

    def found_in(self, text: str) -> list[int]:
        """The places of the strings that occur in `text`, in order."""
        line, n = self._line, self._n
        items = line.items
        if n <= _GRAMMED or n <= len(text):
            if n * len(text) > _SEARCH_BUDGET:
                # a long text and many strings: looking each up would hold the caller for seconds, so
                # every one is taken to occur (fail closed: a result shown as one handle, labelled with all)
                return list(range(n))
            return [*itertools.compress(range(n), map(text.__contains__, itertools.islice(items, n)))]
        grams = line.grams
        if grams is None:
            with line.lock:  # the line does not grow meanwhile (`extended` holds the lock)
                if line.grams is None:
                    built: dict[str, tuple[tuple[int, int], ...]] = {}
                    line.keyed_whole = _gram_index(built, items, 0)
                    line.grams = built  # published whole: a reader never sees it half built
                grams = line.grams
        get = grams.get  # entries a newer snapshot added (numbered n and up) are not this one's
        found = {i for i, _ in get("", ()) if i < n and items[i] in text}  # shorter still: each tested whole
        starts = text.startswith
        budget = _GRAM_BUDGET
        whole = _GRAM - 1 if line.keyed_whole else 0  # a string that is its own key, looked for where a line holds one
        for p in range(len(text) - _GRAM + 2):
            entries = get(text[p:p + _GRAM], ()) + get(text[p:p + whole], ()) if whole else get(text[p:p + _GRAM], ())
            budget -= len(entries)
            if budget < 0:
                return list(range(n))  # fail closed, as past `_SEARCH_BUDGET` above
            for i, at in entries:
                if i < n and p >= at and starts(items[i], p - at):
                    found.add(i)
        return sorted(found)


def _gram_index(grams: dict[str, tuple[tuple[int, int], ...]], items: Sequence[str], first: int) -> bool:
    """Add `items`, numbered from `first`, to `grams`: each under the `_GRAM` characters it holds that
    fewest others are under yet among its first `_KEYED` places, with that place (a string one character
    shorter than a key under itself, a shorter one under ""): the first ones only, so a long value costs no
    more to index than a short one. Whether it added a string under itself."""
    get = grams.get
    keyed_whole = False
    for i, item in enumerate(items, first):
        if len(item) < _GRAM - 1:
            g, at = "", 0
        elif len(item) < _GRAM:
            g, at, keyed_whole = item, 0, True
        else:
            keys = [item[j:j + _GRAM] for j in range(min(len(item) - _GRAM + 1, _KEYED))]
            _, at = min(zip(map(len, map(get, keys, itertools.repeat(()))), itertools.count()))
            g = keys[at]
        grams[g] = (*get(g, ()), (i, at))
    return keyed_whole


class _Index:
    """What argument labelling needs from a thread's observations, merged: built once per observation.

    Joins are order-free, so merging the observations' tracked values, private texts, record keys and
    taints gives the labels the per-observation scans gave. Trusted texts are normalised
    letters and digits joined by "|", so a normalised argument is in the joined text exactly when it
    is in one observation's text.
    """

    __slots__ = ("obs", "tracked", "texts", "keys", "taint", "digits", "read", "_text", "_words", "_read_words", "_shingles", "_follows",
                 "_joined",
                 "_needles", "_cuts", "_across")

    def __init__(self, obs: tuple[Observation, ...] = (), tracked: dict[str, Label] | None = None,
                 texts: dict[str, Label] | None = None, keys: dict[tuple[str, str], Label] | None = None,
                 taint: Label | None = None, digits: dict[str, Label] | None = None, read: Label | None = None) -> None:
        self.obs = obs
        self.tracked: dict[str, Label] = tracked if tracked is not None else {}
        self.texts: dict[str, Label] = texts if texts is not None else {}
        self.keys: dict[tuple[str, str], Label] = keys if keys is not None else {}
        self.taint = taint
        self.read = read
        """The join of what the observations showed of private values in clear (`Observation.read`)."""
        self.digits: dict[str, Label] = digits if digits is not None else {}
        self._text: str | None = None
        self._words: frozenset[str] | None = None
        self._read_words: frozenset[str] | None = None
        self._shingles: dict[str, Label] | None = None
        self._follows: dict[str, frozenset[str]] | None = None
        self._joined: str | None = None
        self._needles: dict[str, _Needles] = {}
        """"tracked" / "digits" -> their values as `_Needles` (built once there are many)."""
        self._cuts: dict[str, Cuts] = {}
        """"tracked" / "digits" / "shingles" -> where their values can be cut (built on first use)."""
        self._across: dict[Any, Any] = {}
        """Recent answers of `cut_across`, by kind, `through` and forms."""


    def tainted(self, label: Label) -> _Index:
        """This index with `label` joined to its taint (what every written value carries unless the user or
        a trusted tool gave it): a copy sharing its tables, which are never changed once built."""
        out = copy.copy(self)
        out.taint = label if self.taint is None else self.taint.join(label)
        return out
    def tracked_in(self, text: str) -> list[str]:
        """The tracked values that occur in `text`, in order."""
        return self._found("tracked", text)

    def digits_in(self, text: str) -> list[str]:
        """The tracked digit tokens that occur in `text` (an argument's digits), in order."""
        return self._found("digits", text)

    def cut_across(self, kind: str, forms: Sequence[Any], *,
                   through: bool = True) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
        """The values of `kind` ("tracked", "digits", "shingles") cut across the texts' forms, each with
        the orders of texts holding it between them (`Cuts.across`; `through`: also through whole texts).

        The last few answers are kept (a `TooManyCuts` too): one check asks again for the same texts
        (labelling, then what an approval covers), and a bound reached once costs its time once."""
        key = (kind, through, tuple(f if f.__class__ is str else tuple(f) for f in forms))
        memo = self._across
        hit = memo.get(key)
        if hit is None:
            try:
                hit = self._cut_across(kind, forms, through)
            except TooManyCuts as exc:
                hit = exc
            if len(memo) >= _ACROSS_KEPT:
                memo.clear()
            memo[key] = hit
        if isinstance(hit, TooManyCuts):
            raise TooManyCuts(*hit.args)  # a new one: raising one kept would grow its traceback each time
        return hit

    def _cut_across(self, kind: str, forms: Sequence[Any], through: bool) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
        if kind == "shingles":  # runs of words: found from the words side by side (`runs_across`)
            return runs_across(forms, self.shingles, self.follows, SHINGLE, through=through)
        cuts = self._cuts.get(kind)
        if cuts is None:  # a race only builds it twice
            values = tuple(getattr(self, kind))
            key = (kind, values) if len(values) <= _CUTS_SHARED else None
            cuts = _CUTS.get(key) if key is not None else None
            if cuts is None:
                cuts = Cuts().extended(values)
                if key is not None:
                    _share_cuts(key, cuts)
            self._cuts[kind] = cuts
        return cuts.across(forms, through=through)

    def _found(self, kind: str, text: str) -> list[str]:
        values: dict[str, Label] = getattr(self, kind)
        if len(values) <= _GRAMMED:  # the substring tests run in C, one per value
            if len(values) * len(text) > _SEARCH_BUDGET:  # as `_Needles.found_in`: every one (fail closed)
                return list(values)
            return [*filter(text.__contains__, values)]
        needles = self._needles.get(kind)
        if needles is None:  # a race only builds it twice
            needles = self._needles[kind] = _Needles(values)
        return [needles[i] for i in needles.found_in(text)]

    def extended(self, more: list[Observation]) -> _Index:
        if not more:
            return self
        # a map is copied only when a new observation adds to it (most add nothing): an index never
        # writes to a map it shares with the index it was extended from
        tracked, texts, keys, digits, taint, read = self.tracked, self.texts, self.keys, self.digits, self.taint, self.read
        for o in more:
            o_tracked, o_digits, o_texts = o.maps
            if o_digits:
                digits = _merged(digits, self.digits, o_digits)
            if o_tracked:
                tracked = _merged(tracked, self.tracked, o_tracked)
            if o_texts:
                texts = _merged(texts, self.texts, o_texts)
            if o.keys:
                keys = _merged(keys, self.keys, o.keys)
            if o.untrusted is not None:
                taint = o.untrusted if taint is None else _join(taint, o.untrusted)
            if o.read is not None:
                read = o.read if read is None else _join(read, o.read)
        out = _Index((*self.obs, *more), tracked, texts, keys, taint, digits, read)
        if self._shingles is not None:
            out._shingles = self._shingles if texts is self.texts else _shingles_of(
                (t for o in more for t in o.texts), dict(self._shingles))
        if self._text is not None:
            out._text = "|".join((self._text, *(o.trusted_text for o in more))) if self.obs else None
        if self._words is not None:
            out._words = self._words.union(*(o.trusted_words for o in more))
        if self._read_words is not None:
            out._read_words = self._read_words.union(*(o.read_words for o in more))
        for kind, needles in list(self._needles.items()):  # a merge joins labels in place: new keys come last
            out._needles[kind] = needles.extended([*itertools.islice(getattr(out, kind), len(needles), None)])
        if self._follows is not None:
            out._follows = self._follows if texts is self.texts else _follows_of(
                (t for o in more for t, _lbl in o.texts), self._follows)
        for kind, cuts in list(self._cuts.items()):
            out._cuts[kind] = cuts.extended(itertools.islice(getattr(out, kind), len(getattr(self, kind)), None))
        return out

    @property
    def shingles(self) -> dict[str, Label]:
        if self._shingles is None:
            self._shingles = _shingles_of(self.texts.items())
        return self._shingles

    @property
    def follows(self) -> dict[str, frozenset[str]]:
        """A word of a private text -> the words that follow it there: whether two words stand side by
        side in some private text (a run of six across a join holds the two words at the join)."""
        if self._follows is None:
            self._follows = _follows_of(self.texts)
        return self._follows

    def side_by_side_of(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """The pairs of words that stand side by side in a private text, each sought once: while few, in
        the texts joined (each " word word ... " on a line of its own), which a thread's first check
        would otherwise pay to index word by word; many, in that index (`follows`)."""
        # Both ways give the same answer: a private text is " word word ... " (words of letters and digits,
        # single spaces, `_track_forms`) and so is each word sought (`_words`), so " a b " is in the texts
        # joined at line breaks exactly when b follows a in one of them. The index costs a dict entry per
        # word of every private text (kept and extended with the thread's index once built), a search a
        # scan of the texts per pair: it serves while the pairs times the texts' length stay within
        # `_SIDE_BUDGET`.
        distinct = set(pairs)
        if self._follows is None and (len(distinct) <= _SOUGHT or (
                len(distinct) <= _SIDE_BUDGET and len(distinct) * len(self._texts_joined()) <= _SIDE_BUDGET)):
            joined = self._texts_joined()
            return {(a, b) for a, b in distinct if f" {a} {b} " in joined}
        follows = self.follows
        return {(a, b) for a, b in distinct if b in follows.get(a, ())}

    def _texts_joined(self) -> str:
        """The private texts, each on a line of its own (`side_by_side_of`)."""
        joined = self._joined
        if joined is None:
            joined = self._joined = "\n".join(self.texts)
        return joined

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

    @property
    def read_words(self) -> frozenset[str]:
        """The private values the model read in clear, whole (`Observation.read_words`)."""
        if self._read_words is None:
            self._read_words = frozenset().union(*(o.read_words for o in self.obs))
        return self._read_words


_EMPTY_INDEX = _Index()

_SOUGHT = 4
"""`_Index.side_by_side_of` seeks up to this many pairs of words by substring search, more in `follows`
(but see `_SIDE_BUDGET`)."""
_SIDE_BUDGET = 1 << 18
"""More pairs are sought by substring search too while they (each once) times the private texts'
characters are at most this many (a scan of about a tenth of a millisecond): a short thread's check
would otherwise index every word of its private texts for the six pairs of three texts' joins."""

_CUTS: dict[tuple[str, tuple[str, ...]], Cuts] = {}
"""Recently built `Cuts` by their values: threads that read the same records (a user's contacts in
every conversation) share them (never changed: `Cuts.extended` makes a new one)."""
_CUTS_SHARED = 1024
"""Sets of at most this many values are shared; a longer thread builds its own and extends it."""
_CUTS_KEPT = 200_000
"""How many cuts the shared `Cuts` hold together at most (the oldest go first)."""
_cuts_held = [0]
_cuts_lock = threading.Lock()


def forget_cuts() -> None:
    """Drop the shared `Cuts` (a thread erased, `PrivacyFlow.forget`: they are kept by the values they cut)."""
    with _cuts_lock:
        _CUTS.clear()
        _cuts_held[0] = 0


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


def _merged(current: dict[Any, Label], base: dict[Any, Label], more: Any) -> dict[Any, Label]:
    """`current` with `more`'s labels joined in; `current` is copied first while it is still `base`
    (the map the extended index holds, never written to)."""
    if current is base:
        current = dict(base)
    _merge(current, more)
    return current


def _follows_of(texts: Iterable[str], base: dict[str, frozenset[str]] | None = None) -> dict[str, frozenset[str]]:
    """`_Index.follows` of private texts (padded, their words space-separated), added to `base`'s
    (never changed: a word given more followers gets a new set)."""
    more: dict[str, set[str]] = {}
    for text in texts:
        words = text.split()
        for a, b in zip(words, words[1:]):
            after = more.get(a)
            if after is None:
                more[a] = {b}
            else:
                after.add(b)
    out = dict(base) if base else {}
    for a, after in more.items():
        old = out.get(a)
        out[a] = frozenset(after) if old is None else old.union(after)
    return out
