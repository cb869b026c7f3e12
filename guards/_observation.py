"""What the privacy flow keeps of one tool result (`Observation`), and the label joins it is built with."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vfa import PUBLIC, Label

from ._forms import NUMBER_MARK, SHINGLE, SPELLED_MARK, _amount_forms, _norm_of, _num, _text, _value_form

_TAINTS: dict[frozenset[str], Label] = {}
"""Taint labels by their sources (results of the same tainted inputs recur)."""


def _tainted(obs: Observation, inputs: list[Label]) -> Observation:
    """`obs` of a result computed from untrusted inputs: untrusted as a whole, grounding nothing. Only
    their trust carries over (their readers stay with the values, which value tracking follows)."""
    if not inputs:
        return obs
    taint = _taint_of(inputs)
    obs.untrusted = taint if obs.untrusted is None else _join(obs.untrusted, taint)
    obs.trusted_parts, obs._words, obs._trusted_text = (), frozenset(), ""
    return obs


def _taint_of(inputs: list[Label]) -> Label:
    """What untrusted inputs give a result computed from them: their sources, untrusted (shared)."""
    sources = frozenset().union(*(lbl.sources for lbl in inputs))
    taint = _TAINTS.get(sources)
    if taint is None:
        if len(_TAINTS) >= 4096:
            _TAINTS.clear()
        taint = _TAINTS[sources] = Label(sources=sources, trusted=False)
    return taint


_OWNED: dict[tuple[int, tuple[str, ...]], tuple[Label, Label]] = {}
"""Labels widened to an address's or account's owner, by (label identity, owner); each entry keeps its label alive."""


_READ: dict[int, tuple[Label, Label]] = {}
"""Read labels (`_read`) by the identity of the label they were made from; each entry keeps it alive."""


def _read(obs: Observation, lbl: Label, values: Sequence[Any] = ()) -> None:
    """Note on `obs` that the model read `values`, of label `lbl`, in clear (`context_taint="private"`):
    their readers, with their sources marked "read:" (a denial then says the model read them, not that
    the argument holds them), and trusted (trust is the untrusted taint's concern); the values kept, so
    that none grounds an argument as a trusted value would (`Observation.read_words`)."""
    hit = _READ.get(id(lbl))
    if hit is None or hit[0] is not lbl:
        if len(_READ) >= 4096:
            _READ.clear()
        hit = _READ[id(lbl)] = (lbl, Label(readers=lbl.readers, sources=frozenset(f"read:{s}" for s in lbl.sources)))
    obs.read = hit[1] if obs.read is None else _join(obs.read, hit[1])
    if values:
        if obs.read_parts.__class__ is not list:
            obs.read_parts = []
        obs.read_parts.extend(values)


def _read_inputs(obs: Observation, inputs: Iterable[Label]) -> Observation:
    """`obs`, or a copy of it (it may be shared), of a result computed from arguments that carry what the
    model read (`context_taint="private"`): it carries that too, and grounds nothing (a tool that echoes
    or encodes what it was given would otherwise hand it back as a trusted value)."""
    got = _read_of(inputs)
    if got is None:
        return obs
    out = _grounds_nothing(obs)
    out.read = got if out.read is None else _join(out.read, got)
    return out


def _read_of(inputs: Iterable[Label]) -> Label | None:
    """What arguments carry of what the model read (`context_taint="private"`): the join of their "read:"
    readers and sources, None when none carries any."""
    out = None
    for lbl in inputs:
        if any(s.startswith("read:") for s in lbl.sources):
            got = Label(readers=lbl.readers, sources=frozenset(s for s in lbl.sources if s.startswith("read:")))
            out = got if out is None else _join(out, got)
    return out


def _grounds_nothing(obs: Observation) -> Observation:
    """A copy of `obs` (it may be shared) none of whose values vouches for an argument."""
    out = obs.like(obs.call_id)
    out.trusted_parts, out._words, out._trusted_text = (), frozenset(), ""
    return out


_VOUCHED: dict[int, tuple[Label, Label]] = {}


def _vouched(lbl: Label) -> Label:
    """`lbl`, trusted: for a value the user or a trusted tool supplied whole (its readers and sources stay)."""
    if lbl.trusted:
        return lbl
    hit = _VOUCHED.get(id(lbl))
    if hit is not None and hit[0] is lbl:
        return hit[1]
    out = Label(readers=lbl.readers, sources=lbl.sources, trusted=True)
    if len(_VOUCHED) >= 4096:
        _VOUCHED.clear()
    _VOUCHED[id(lbl)] = (lbl, out)
    return out


def _readable_by(lbl: Label, owner: tuple[str, ...]) -> Label:
    """`lbl` with an address's or account's owner (`owner`: its principals) among its readers: an
    address or IBAN tracked inside a private text may go to the one it belongs to (writing to someone,
    or paying into their account, discloses their own identifier to them, nothing more)."""
    if lbl.readers is None or lbl.readers.issuperset(owner):
        return lbl
    key = (id(lbl), owner)
    hit = _OWNED.get(key)
    if hit is not None and hit[0] is lbl:
        return hit[1]
    out = Label(readers=lbl.readers.union(owner), sources=lbl.sources, trusted=lbl.trusted)
    if len(_OWNED) >= 4096:
        _OWNED.clear()
    _OWNED[key] = (lbl, out)
    return out


_JOINS: dict[tuple[int, int], tuple[Label, Label, Label]] = {}
"""Recent joins by identity: the same few labels meet again and again (a label's parts are shared)."""


def _join(a: Label, b: Label) -> Label:
    """`a.join(b)`, without building a new label when one side already absorbs the other (the usual case)."""
    if a is b or b is PUBLIC:
        return a
    if a is PUBLIC:
        return b
    ar, br = a.readers, b.readers
    if (br is None or (ar is not None and ar <= br)) and (b.trusted or not a.trusted) and b.sources <= a.sources:
        return a
    if (ar is None or (br is not None and br <= ar)) and (a.trusted or not b.trusted) and a.sources <= b.sources:
        return b
    key = (id(a), id(b))
    hit = _JOINS.get(key)
    if hit is not None and hit[0] is a and hit[1] is b:  # the entry keeps a and b alive: ids not reused
        return hit[2]
    out = a.join(b)
    if len(_JOINS) >= 4096:
        _JOINS.clear()
    _JOINS[key] = (a, b, out)
    return out


def _join_all(labels: Iterable[Label]) -> Label:
    return _join_each(PUBLIC, labels)


_EACH = 16
"""Up to this many labels, `_join_each` joins them one at a time (a join that changes nothing builds nothing)."""


def _join_each(out: Label, labels: Iterable[Label]) -> Label:
    """`out` joined with every one of `labels`: one at a time while few, else in one step (`_join_many`).
    One at a time, thousands of labels with a source of their own each (a table's records, found in one
    argument) would copy the growing set of sources thousands of times: quadratic."""
    if not labels:  # the common case, on every argument: nothing found
        return out
    more = list({id(lbl): lbl for lbl in labels if lbl is not out}.values())
    if len(more) <= _EACH:
        for lbl in more:
            out = _join(out, lbl)
        return out
    joined = _join_many((out, *more))
    return out if joined == out else joined


_MANY: dict[tuple[int, ...], tuple[tuple[Label, ...], Label]] = {}
"""Recent joins of several labels at once, by the labels' identities (a record list's fields meet again)."""


def forget_labels() -> None:
    """Empty the caches of labels above: a label's sources name a record's key (a thread erased keeps none)."""
    for cache in (_TAINTS, _OWNED, _READ, _VOUCHED, _JOINS, _MANY):
        cache.clear()


def _join_many(labels: tuple[Label, ...]) -> Label:
    """The join of several labels built in one step (one new label, not one per label joined)."""
    if len(labels) < 3:
        return _join_all(labels)
    key = tuple(map(id, labels))
    hit = _MANY.get(key)
    if hit is not None and hit[0] == labels:  # identity first: the entry keeps its labels alive
        return hit[1]
    readers = [lbl.readers for lbl in labels if lbl.readers is not None]
    out = Label(readers=readers[0].intersection(*readers[1:]) if readers else None,
                sources=frozenset().union(*(lbl.sources for lbl in labels)),
                trusted=all(lbl.trusted for lbl in labels))
    if len(_MANY) >= 1024:
        _MANY.clear()
    _MANY[key] = (labels, out)
    return out


_NO_KEYS: Mapping[tuple[str, str], Label] = {}
"""The keys of an observation that showed no record (shared, never written)."""


class Observation:
    """What one tool result showed the model, with the labels of its parts.

    Results that show the model the same JSON text share one observation (`PrivacyFlow._memo_key`):
    its `call_id` is the call it was first built for; a thread's records say which calls it answers.

    Attributes:
        label: join of every part's label: the result as a whole.
        tracked: normalised private values and their labels (value tracking), with the identifier-like
            letter-digit tokens of private texts.
        digits: digit tokens of private texts (runs of six or more digits) and their labels.
        texts: private texts of at least six words, as " word word ... " (words space-separated and
            padded), with their labels: a six-word run of one is in it, padded, exactly when it is one of
            its shingles.
        trusted_parts: the trusted content, as the model saw it (leaves as they are: `_text` gives their text).
        untrusted: the label of the untrusted content it held, if any (trusted=False).
        read: the label of the private content it showed the model in clear (not behind a handle), if
            any, its sources marked "read:"; kept only under `context_taint="private"`.
        read_parts: that content, leaf by leaf (`read_words` gives their forms).
        keys: (kind, key) of each record it showed -> the record's label, for sinks that refer to records.
        text: what the model saw.

    `tracked`, `texts` and `keys` start as shared empty tuples / None-free empties and become lists and
    a dict when the first entry arrives (most results have none).
    """

    __slots__ = ("call_id", "tool", "label", "tracked", "texts", "trusted_parts", "untrusted", "keys", "text",
                 "digits", "read", "read_parts", "_words", "_read_words", "_trusted_text", "_shingles", "_like", "_maps", "_digests")

    def __init__(self, call_id: str, tool: str, label: Label = PUBLIC, tracked: Any = (), texts: Any = (),
                 trusted_parts: Any = (), untrusted: Label | None = None, keys: Any = _NO_KEYS,
                 text: str = "", digits: Any = (), read: Label | None = None, read_parts: Any = ()) -> None:
        self.call_id, self.tool, self.label, self.untrusted, self.text = call_id, tool, label, untrusted, text
        self.read = read
        self.read_parts: list[Any] | tuple[()] = read_parts
        self._read_words: frozenset[str] | None = None
        self.tracked: list[tuple[str, Label]] | tuple[()] = tracked
        self.texts: list[tuple[str, Label]] | tuple[()] = texts
        self.digits: list[tuple[str, Label]] | tuple[()] = digits
        self.trusted_parts: list[Any] | tuple[()] = trusted_parts
        self.keys: Mapping[tuple[str, str], Label] = keys
        self._words: frozenset[str] | None = None
        self._trusted_text: str | None = None
        self._shingles: dict[str, Label] | None = None
        self._like: Observation | None = None
        """An observation of the same result on another call, whose derived forms this one shares."""
        self._maps: tuple[dict[str, Label], dict[str, Label], dict[str, Label]] | None = None
        self._digests: tuple[str, frozenset[str]] | None = None
        """The text and the digests of what a guard node writes for it (`_threads._digests`), once worked out."""

    def like(self, call_id: str) -> Observation:
        """An observation of the same result by another call: the parts shared, derived forms computed once."""
        out = Observation(call_id, self.tool, self.label, self.tracked, self.texts, self.trusted_parts,
                          self.untrusted, self.keys, self.text, self.digits, self.read, self.read_parts)
        out._like = self._like or self
        return out

    def __repr__(self) -> str:
        return f"Observation(call_id={self.call_id!r}, tool={self.tool!r}, label={self.label!r})"

    @property
    def maps(self) -> tuple[dict[str, Label], dict[str, Label], dict[str, Label]]:
        """`tracked`, `digits` and `texts` as dicts, a value seen twice with its labels joined (computed
        on first use, shared by observations of the same result; never written to)."""
        if self._maps is None:
            self._maps = self._like.maps if self._like is not None else (
                _map_of(self.tracked), _map_of(self.digits), _map_of(self.texts))
        return self._maps

    @property
    def shingles(self) -> dict[str, Label]:
        """Six-word runs of private text and their labels (computed on first use)."""
        if self._shingles is None:
            self._shingles = self._like.shingles if self._like is not None else _shingles_of(self.texts)
        return self._shingles

    @property
    def trusted_text(self) -> str:
        """Normalised trusted content, "|"-separated: what grounds an authority argument (computed on first use)."""
        if self._trusted_text is None and self._like is not None:
            self._trusted_text = self._like.trusted_text
        if self._trusted_text is None:
            self._trusted_text = "|".join(_norm_of(t if t.__class__ is str else _text(t)) for t in self.trusted_parts)
        return self._trusted_text

    @property
    def trusted_words(self) -> frozenset[str]:
        """The trusted values, whole: each leaf normalised (and a number also in its `_num` form). An
        authority argument is grounded only by one of these exactly, never by a substring or a word of
        one (computed on first use: most results never need it)."""
        if self._words is None and self._like is not None:
            self._words = self._like.trusted_words
        if self._words is None:
            self._words = _whole_forms(self.trusted_parts)
        return self._words

    @property
    def read_words(self) -> frozenset[str]:
        """The private values it showed the model in clear, whole, in the forms of `trusted_words`: a
        value the model read grounds no argument as a trusted value would (`context_taint="private"`)."""
        if self._read_words is None:
            self._read_words = _whole_forms(self.read_parts) if self.read_parts else frozenset()
        return self._read_words


def _whole_forms(parts: Iterable[Any]) -> frozenset[str]:
    """Leaves, whole: each normalised (and a number also in its `_num` form; see `trusted_words`)."""
    out: set[str] = set()
    for t in parts:
        text = t if t.__class__ is str else _text(t)
        out.add(_value_form(text))
        out.add(SPELLED_MARK + " ".join(text.split()))  # where its spaces stand (`SPELLED_MARK`)
        if isinstance(t, (int, float)) and not isinstance(t, bool):
            out.add(_num(text))
        elif t.__class__ is str and len(text.split()) == 1:
            # an amount written as text ("1,200.00") grounds that number, for numbers only (the text
            # "1200" is grounded by its own form): marked by a space, which no value form holds
            out.update(NUMBER_MARK + n for n in _amount_forms(text))
    out.discard("")
    return frozenset(out)


def _shingles_of(texts: Iterable[tuple[str, Label]], into: dict[str, Label] | None = None) -> dict[str, Label]:
    out = {} if into is None else into
    for text, lbl in texts:
        words = text.split()
        for i in range(len(words) - SHINGLE + 1):
            run = " ".join(words[i:i + SHINGLE])
            old = out.get(run)
            out[run] = lbl if old is None else _join(old, lbl)
    return out


def _merge(into: dict[Any, Label], more: Mapping[Any, Label]) -> None:
    """Join `more`'s labels into `into`, key by key (a plain update when no key is in both)."""
    if not more:
        return
    if into.keys().isdisjoint(more):
        into.update(more)
        return
    for k, lbl in more.items():
        old = into.get(k)
        into[k] = lbl if old is None else _join(old, lbl)


def _map_of(pairs: Iterable[tuple[str, Label]]) -> dict[str, Label]:
    out: dict[str, Label] = {}
    for k, lbl in pairs:
        old = out.get(k)
        out[k] = lbl if old is None else _join(old, lbl)
    return out
