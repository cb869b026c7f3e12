"""The privacy flow: labels every tool output, hides private values behind handles, labels every argument.

`PrivacyFlow` implements the kernel's `vfa.Flow` hooks. Provenance never depends on the model's honesty;
three mechanisms combine, each closing what the one before leaves open:

1. Handles (`observe`/`resolve`). Private fields a tool declares are shown to the model as handles and
   swapped back only at commit time, after the guard allowed the flow. The model never reads the value,
   so it cannot paraphrase, encode or summarise it: whatever carries a handle carries its label. A
   tool given a handle does read the value, so what it returns is shown as a handle too, private to
   that value's readers whatever the tool declares (`record`'s `secrets`): a tool that reverses,
   encodes, slices or tests a value hands the model nothing of it but whether the call failed.
2. Value tracking (`label`). Private values the model must read (an email body) are indexed: an
   argument containing one of them (after case, spacing and punctuation are ignored) or six
   consecutive words of one inherits its label. Identifier-like tokens inside a private text are
   tracked as values of their own, with the text's label (`_tokens`): every run of digits of six or
   more (separators such as spaces, dashes, dots and brackets dropped: an SSN, an account, card or
   phone number), IBAN-like and other mixed letter-digit tokens, and e-mail addresses. A digit token
   is found in an argument's digits taken in order with everything else dropped, so "078-05 then 1120"
   carries the SSN 078-05-1120, and so do the joined disclosed arguments of one call ("078-05" in a
   subject, "1120" in a body), whichever arguments stand between the two pieces (`Cuts`, in time
   linear in the arguments). Ordinary numbers (years, amounts of fewer than six digits) are not
   tracked. It misses a paraphrase, a translation or an encoding (base64, spelled-out or reversed
   digits, arithmetic on them), a part of a token (its last four digits), a token cut into three or
   more pieces with other arguments between them, and a private text cut into pieces smaller than a
   token and six words spread over separate calls. Nor does it follow data
   through the world: what an effect stores comes back labelled by the declaration of the tool that
   reads it (a handle is put back only where the value returns verbatim).
3. Context taint with trusted grounding (`label`). Once the model has read untrusted content, any
   argument value that is not whole tokens of a user message and is no whole trusted tool output value
   (case, white space and the punctuation around it aside; never a word, a piece of a token or a
   look-alike differing in punctuation, nor a private value shown as a handle) is labelled untrusted:
   the model may have got it from the injection. A result computed from an untrusted argument is
   untrusted too. An attacker's address, IBAN, amount or password then
   cannot become an authority argument however it was phrased. A value the user typed, or a trusted
   tool output gave whole, is trusted even where an untrusted text holds it too (a contact's address
   that an email also mentions): the user's authority stands behind it. So this cannot see an
   injection that only recombines values the user or a trusted tool supplied (pay a known payee an
   amount the user named).

An e-mail address or IBAN tracked inside a private text may go to its owner: writing to someone, or
paying into their account, discloses their own identifier to them and nothing else (the rest of the
text keeps its readers).

What the flow holds per thread (the observations of every result the model saw) is rebuilt from every
result the journal holds for the thread when it is missing: after a restart, on another replica, or
for a thread dropped to stay under `max_threads`. A thread is never dropped while a call on it runs (the guard node holds it from the
call's labels to its result), so conversations served at once end as they would alone. A thread whose messages show results that neither the flow nor the journal has gets
every argument labelled private to the user and untrusted (fail closed: the model may know anything).
Two results that show the model the same JSON text are labelled alike, so their observation is built
once and shared (`_memo_key` says when it may not be).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import unicodedata
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from bisect import bisect_left, bisect_right
from itertools import chain, compress
from functools import lru_cache
from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import PUBLIC, USER, Label, Proposal, ToolSpec
from vfa._jsontext import json_text

from ._cuts import Cuts, TooManyCuts
from ._handles import HANDLE_RE, HandleError, HandleStore, has_marks
from ._privacy_decl import PrivacyPolicy, Source, principals, source_of

__all__ = ["Observation", "PrivacyFlow"]

MIN_TRACKED = 4
"""Private values shorter than this (letters and digits) are not tracked: they would match everywhere."""
SHINGLE = 6
"""Copying this many consecutive words of a private text carries its label."""

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NOT_ALNUM = re.compile(r"[\W_]")
"""Anything but a letter or digit, of any script (after folding, Latin look-alikes are ASCII)."""
_WORD = re.compile(r"[^\W_]+")
_INDICES = re.compile(r"(\[\d+\])+$")


_CONFUSABLES = str.maketrans({
    # Cyrillic letters that look like Latin ones
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b",
    "һ": "h", "ү": "y", "г": "r", "п": "n", "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o",
    "Р": "p", "С": "c", "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ј": "j", "Ү": "y", "Һ": "h",
    # Greek letters that look like Latin ones
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ω": "w", "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # dotless i, long s, script letters NFKC keeps apart
    "ı": "i", "ſ": "s", "ℓ": "l",
})


@lru_cache(maxsize=8192)
def _fold_slow(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
    t = unicodedata.normalize("NFKD", t)
    # decimal digits of any script as ASCII (NFKC keeps Arabic-Indic and Devanagari digits as they are)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
                   for c in t if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")


def _fold(text: str) -> str:
    """Text with look-alikes folded to ASCII before value tracking: NFKC (fullwidth digits and letters,
    ligatures), common Cyrillic and Greek look-alikes of Latin letters, decimal digits of every script,
    accents dropped and invisible format characters (zero-width spaces and joiners) removed. ASCII text
    is returned as it is."""
    return text if text.isascii() else _fold_slow(text)


def _norm(text: str) -> str:
    return _NOT_ALNUM.sub("", _fold(text).lower())


_SHOWN = json_text(ensure_ascii=False, default=repr)
"""What `json.dumps(value, default=repr, ensure_ascii=False)` uses, built once: the text the model sees."""
_STRICT = json_text(ensure_ascii=False)
"""The same, for JSON values only (anything else raises): the text that keys a shared observation."""
_MEMO = 1024
"""Observations of this many distinct results are kept for sharing (`PrivacyFlow._memo_key`)."""
_MEMO_TEXT = 1 << 15
"""Results whose text is longer than this are labelled afresh each time, never kept."""

_NORMS: dict[str, str] = {}
"""Normal forms of texts that recur (trusted parts, argument leaves), bounded."""


_EDGES = "\"'()[]{}:;,"


def _word_norms(text: str) -> str:
    """Each word of a text normalised (`_norm`), joined by NUL, so that a normal form found in it lies
    in one word; a run of short digit groups (a formatted number: 4111 1111 1111 1111, 078 05 1120)
    counts as one word, ended by a comma or anything that is not such a group (11.99, 0.04, 12.50
    stay apart)."""
    out: list[str] = []
    run: list[str] = []
    for w in _fold(text).lower().split():
        group = w.strip(_EDGES)
        if group.isdigit() and len(group) <= 4:
            run.append(group)
            if "," in w[len(w.rstrip(_EDGES)):]:  # a comma after it ends the number
                out.append("".join(run))
                run = []
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(_NOT_ALNUM.sub("", w))
    if run:
        out.append("".join(run))
    return "\0".join(out)


def _norm_of(text: str) -> str:
    """`_norm(text)`, cached: the same contact names, subjects and bodies are normalised again and again."""
    n = _NORMS.get(text)
    if n is None:
        n = _NOT_ALNUM.sub("", _fold(text).lower())
        if len(text) <= 4096:
            if len(_NORMS) >= 8192:
                _NORMS.clear()
            _NORMS[text] = n
    return n


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text).lower())


_EDGE = "\"'`()[]{}<>.,;:!?"
"""Punctuation that ends a sentence or wraps a value, stripped from the ends of a whitespace token."""

_PHRASES: dict[str, str] = {}


def _phrase(text: str) -> str:
    """A text as whole tokens, for grounding in what the user typed: lower-cased, split at white
    space, each token stripped of the punctuation around it (not inside it), space-joined. Never
    folded: grounding is exact, a look-alike (Cyrillic a, an accent, a zero-width space) is another value."""
    p = _PHRASES.get(text)
    if p is None:
        p = " ".join(filter(None, (t.strip(_EDGE) for t in text.casefold().split())))
        if len(text) <= 4096:
            if len(_PHRASES) >= 8192:
                _PHRASES.clear()
            _PHRASES[text] = p
    return p


def _value_form(text: str) -> str:
    """A whole value as grounding compares it with a trusted value: lower-cased, without white space
    or the punctuation around it; punctuation inside stays (bob@family.example is not
    bo@bfamily.example, while an IBAN matches written in groups or run together). Never folded."""
    return "".join(text.casefold().split()).strip(_EDGE)


@lru_cache(maxsize=4096)
def _user_forms(text: str) -> tuple[str, frozenset[str]]:
    """A user message as whole tokens, padded (`_phrase`), and its words and, marked "#", the numbers
    that are whole tokens of it (messages recur on every call)."""
    return f" {_phrase(text)} ", frozenset((*_words(text), *("#" + n for n in _token_numbers(text))))


MIN_DIGITS = 6
"""Runs of digits in a private text at least this long are tracked as tokens of their own."""

_DIGIT_RUN = re.compile(r"\d(?:[ \t\-./()+]{1,3}\d|\d)*")
"""Digits joined by separators (spaces, dashes, dots, slashes, brackets, plus): "+1 (555) 123-4567"."""
_NOT_DIGIT = re.compile(r"\D")
_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")
_IBAN = re.compile(r"\b[a-z]{2}\d{2}(?:[a-z0-9]{4}|[ \-](?=[a-z]{0,3}\d)[a-z0-9]{4}){2,7}"
                   r"(?:[a-z0-9]{1,3}|[ \-](?=[a-z]{0,2}\d)[a-z0-9]{1,3})?\b")
"""IBAN-like: country, check digits, then groups of four; a group after a space or dash must hold a
digit, so the words after an IBAN ("... 0130 00 then pay") are not taken for part of it."""
_ALNUM_TOKEN = re.compile(r"[a-z0-9]+(?:[\-_/.][a-z0-9]+)*")


def _is_mixed(t: str) -> bool:
    """A letters-and-digits token that looks like an identifier (an account id, a password): eight or
    more characters with at least two letters and two digits."""
    digits = sum(c.isdigit() for c in t)
    return len(t) >= 8 and digits >= 2 and len(t) - digits >= 2


def _tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Identifier-like tokens of a private text: (normalised letter-digit tokens, digit tokens, and
    (token, its owner's principals) for each e-mail address and IBAN among them and for the digit
    token of each).

    Digit tokens: every maximal run of digits joined by separators, its separators dropped, if it has
    at least `MIN_DIGITS` digits; also each whitespace-free piece of it (two numbers a space apart are
    one run, but a copy of one of them must still be found). Letter tokens: e-mail addresses, IBAN-like
    tokens and mixed letter-digit tokens (`_is_mixed`), normalised as `_norm` does.
    """
    low = _fold(text).lower()
    alnum: set[str] = set()
    owners: dict[str, tuple[str, ...]] = {}
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    for m in _EMAIL.finditer(low):  # an address is its owner's principal
        owners[_NOT_ALNUM.sub("", m.group(0))] = who = (m.group(0),)
        spans.append((m.start(), m.end(), who))
    for m in _IBAN.finditer(low):  # an account number is its holder's, as written or run together
        t = _NOT_ALNUM.sub("", m.group(0))
        owners[t] = who = tuple(dict.fromkeys((m.group(0), t)))
        spans.append((m.start(), m.end(), who))
    alnum.update(owners)
    digits: set[str] = set()
    for m in _DIGIT_RUN.finditer(low):
        run = m.group(0)
        d = _NOT_DIGIT.sub("", run)
        if len(d) >= MIN_DIGITS:
            digits.add(d)
            # digits inside an address or IBAN are its owner's too (tracked as a digit token as well)
            who = next((w for a, b, w in spans if a <= m.start() and m.end() <= b), None)
            if who is not None:
                owners[d] = who
            if len(d) > MIN_DIGITS and (" " in run or "\t" in run):
                for piece in run.split():
                    p = _NOT_DIGIT.sub("", piece)
                    if len(p) >= MIN_DIGITS:
                        digits.add(p)
                        if who is not None:
                            owners[p] = who
    for m in _ALNUM_TOKEN.finditer(low):
        t = _NOT_ALNUM.sub("", m.group(0))
        if _is_mixed(t):
            alnum.add(t)
            who = next((w for a, b, w in spans if a <= m.start() and m.end() <= b), None)
            if who is not None and t not in owners:
                owners[t] = who
    return tuple(sorted(alnum)), tuple(sorted(digits)), tuple(sorted(owners.items()))


@lru_cache(maxsize=4096)
def _track_forms(text: str) -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...],
                                     tuple[tuple[str, tuple[str, ...]], ...]]:
    """A private text's normalised form if long enough to track, its words padded if long enough to
    shingle, its identifier-like tokens (`_tokens`, the normalised form itself left out) and the
    owners of the addresses and account numbers among them (a thread reads the same record again
    and again)."""
    n = _norm(text)
    words = _words(text)
    alnum, digits, owners = _tokens(text) if len(n) >= MIN_DIGITS else ((), (), ())
    return ((n if len(n) >= MIN_TRACKED else None), (f" {' '.join(words)} " if len(words) >= SHINGLE else None),
            tuple(t for t in alnum if t != n), digits, owners)


def _declares_fields(decl: Source) -> bool:
    """Whether a declaration names fields of records (private, untrusted or reader fields)."""
    return bool(decl.private) or bool(decl.readers_from) or (decl.untrusted is not True and bool(decl.untrusted))


def _names(decl: Source, field: str) -> bool:
    """Whether a declaration names a field (private, untrusted or readers)."""
    return field in decl.private or field in decl.readers_from or (
        not isinstance(decl.untrusted, bool) and field in decl.untrusted)


def _is_text_blocks(value: Any) -> bool:
    """Whether a value is a list of text content blocks ({"type": "text", "text": ...})."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(b, dict) and b.get("type") == "text" for b in value)


_BLOBS: dict[int, tuple[Source, Source]] = {}


def _blob_source(decl: Source) -> Source:
    """How a text is labelled when its tool declares record fields: as a whole, private to the user if
    any field is private, untrusted if any is (a record turned into text by a ToolNode, say as a repr)."""
    hit = _BLOBS.get(id(decl))
    if hit is None or hit[0] is not decl:
        blob = Source(private=frozenset({""}) if decl.private else frozenset(),
                      untrusted=True if decl.untrusted else frozenset(), handle=False, kind=decl.kind)
        hit = _BLOBS[id(decl)] = (decl, blob)
    return hit[1]


@lru_cache(maxsize=256)
def _error_source(kind: str) -> Source:
    """How a tool's error text is labelled: the whole text private and untrusted, never handled."""
    return Source(private=frozenset({""}), untrusted=True, handle=False, kind=kind)


_TAINTS: dict[frozenset[str], Label] = {}
"""Taint labels by their sources (results of the same tainted inputs recur)."""


def _tainted(obs: Observation, inputs: list[Label]) -> Observation:
    """`obs` of a result computed from untrusted inputs: untrusted as a whole, grounding nothing. Only
    their trust carries over (their readers stay with the values, which value tracking follows)."""
    if not inputs:
        return obs
    sources = frozenset().union(*(lbl.sources for lbl in inputs))
    taint = _TAINTS.get(sources)
    if taint is None:
        if len(_TAINTS) >= 4096:
            _TAINTS.clear()
        taint = _TAINTS[sources] = Label(sources=sources, trusted=False)
    obs.untrusted = taint if obs.untrusted is None else _join(obs.untrusted, taint)
    obs.trusted_parts, obs._words, obs._trusted_text = (), frozenset(), ""
    return obs


_OWNED: dict[tuple[int, tuple[str, ...]], tuple[Label, Label]] = {}
"""Labels widened to an address's or account's owner, by (label identity, owner); each entry keeps its label alive."""


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


_DIGITS: dict[str, str] = {}
"""Digits of texts that recur (an argument is read by `label` and again by the guard's joined check), bounded."""


def _digits_of(text: str) -> str:
    """The digits of a text in order, everything else dropped: what a digit token is looked up in."""
    d = _DIGITS.get(text)
    if d is None:
        d = _NOT_DIGIT.sub("", _fold(text))
        if len(text) <= 4096:
            if len(_DIGITS) >= 8192:
                _DIGITS.clear()
            _DIGITS[text] = d
    return d


@lru_cache(maxsize=1024)
def _field_name(key: str) -> str:
    """The field name a result path ending in `.key` (and any list indices) gives its leaves."""
    return _INDICES.sub("", key.rsplit(".", 1)[-1])


_FIELD_NAMES: dict[str, str] = {}
"""String dict keys -> their field names (`_field_name`), for the result walk."""


def _name_of(k: Any) -> str:
    """The field name of a dict key (`_field_name` of its text)."""
    if k.__class__ is str:
        name = _FIELD_NAMES.get(k)
        if name is None:
            name = _field_name(k)
            if len(_FIELD_NAMES) < 4096:
                _FIELD_NAMES[k] = name
        return name
    return _field_name(k if isinstance(k, str) else f"{k}")


@lru_cache(maxsize=256)
def _users_forms(texts: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """The user messages as padded whole tokens joined by a newline (which no phrase holds, so none
    matches across two messages), and all their words and numbers."""
    forms = [_user_forms(t) for t in texts]
    return "\n".join(f[0] for f in forms), frozenset().union(*(f[1] for f in forms))


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
    out = PUBLIC
    for lbl in labels:
        out = _join(out, lbl)
    return out


_MANY: dict[tuple[int, ...], tuple[tuple[Label, ...], Label]] = {}
"""Recent joins of several labels at once, by the labels' identities (a record list's fields meet again)."""


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


def _token_numbers(text: str) -> set[str]:
    """The numbers a text holds as whole tokens ("1,200.00", "$950"), in `_num` form; never a piece
    of a token (the 2026 of a date 2026-06-01)."""
    out = set()
    for tok in text.split():
        t = tok.strip(_EDGE + "$€£¥%").replace(",", "")
        if _NUMBER.fullmatch(t):
            out.add(_num(t))
    return out


def _num(text: str) -> str:
    try:
        x = float(text)
    except ValueError:
        return text
    return str(int(x)) if x == int(x) else repr(x)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():  # 1200.0 reads as 1200 (NaN and infinities are no integers)
        return str(int(value))
    return json.dumps(value, default=repr) if isinstance(value, (dict, list, tuple)) else str(value)


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
        keys: (kind, key) of each record it showed -> the record's label, for sinks that refer to records.
        text: what the model saw.

    `tracked`, `texts` and `keys` start as shared empty tuples / None-free empties and become lists and
    a dict when the first entry arrives (most results have none).
    """

    __slots__ = ("call_id", "tool", "label", "tracked", "texts", "trusted_parts", "untrusted", "keys", "text",
                 "digits", "_words", "_trusted_text", "_shingles", "_like", "_maps")

    def __init__(self, call_id: str, tool: str, label: Label = PUBLIC, tracked: Any = (), texts: Any = (),
                 trusted_parts: Any = (), untrusted: Label | None = None, keys: Any = _NO_KEYS,
                 text: str = "", digits: Any = ()) -> None:
        self.call_id, self.tool, self.label, self.untrusted, self.text = call_id, tool, label, untrusted, text
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

    def like(self, call_id: str) -> Observation:
        """An observation of the same result by another call: the parts shared, derived forms computed once."""
        out = Observation(call_id, self.tool, self.label, self.tracked, self.texts, self.trusted_parts,
                          self.untrusted, self.keys, self.text, self.digits)
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
            out: set[str] = set()
            for t in self.trusted_parts:
                text = t if t.__class__ is str else _text(t)
                out.add(_value_form(text))
                if isinstance(t, (int, float)) and not isinstance(t, bool):
                    out.add(_num(text))
            out.discard("")
            self._words = frozenset(out)
        return self._words


def _shingles_of(texts: Iterable[tuple[str, Label]], into: dict[str, Label] | None = None) -> dict[str, Label]:
    out = {} if into is None else into
    for text, lbl in texts:
        words = text.split()
        for i in range(len(words) - SHINGLE + 1):
            run = " ".join(words[i:i + SHINGLE])
            old = out.get(run)
            out[run] = lbl if old is None else _join(old, lbl)
    return out


MIN_NORMED = 6
"""Handle values of at least this many letters and digits are found in a result in any spacing."""

_RECENT = 64
"""Message scans (and call-set indexes) are kept for this many most recently active threads."""

_SCAN = 256
"""Up to this many (argument run, private text) pairs, runs are looked up by substring search in the
private texts; beyond it, in a shingle table built once for the thread. Both give the same labels."""


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
        """"tracked" / "digits" / "shingles" -> where their values can be cut in two (built on first use)."""

    def tracked_in(self, text: str) -> list[str]:
        """The tracked values that occur in `text`, in order."""
        return self._found("tracked", text)

    def digits_in(self, text: str) -> list[str]:
        """The tracked digit tokens that occur in `text` (an argument's digits), in order."""
        return self._found("digits", text)

    def cut_across(self, kind: str, forms: Sequence[Any]) -> tuple[dict[str, list[tuple[int, int]]], bool]:
        """The values of `kind` ("tracked", "digits", "shingles") cut in two across two of the texts'
        forms, each with the pairs of texts holding it between them (`Cuts.across`)."""
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
        return cuts.across(forms)

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


class _Record:
    """A record's label and tags, with the labels of its fields (cached by field name)."""

    __slots__ = ("label", "tags", "leaves", "plans")

    def __init__(self, label: Label, tags: frozenset[str]) -> None:
        self.label, self.tags = label, tags
        self.leaves: dict[str, tuple[Label, Label | None, bool]] = {}
        self.plans: dict[Any, Any] = {}
        """Field names of a record -> their plan entries (see `PrivacyFlow._walk`)."""


class _Plan:
    """How the fields of a record (one set of field names) are labelled: one entry per field, in order,
    (name, label, taint, private, handled); and, for records whose fields all hold strings, the labels,
    taints, trusted fields and tracked fields at once."""

    __slots__ = ("entries", "flat", "taints", "trusted", "private", "handled")

    def __init__(self, entries: tuple[tuple[Any, ...], ...]) -> None:
        self.entries = entries
        self.flat: dict[int, Label] | None = {id(e[1]): e[1] for e in entries}
        self.taints = {id(e[2]): e[2] for e in entries if e[2] is not None}
        mask = tuple(e[2] is None for e in entries)
        self.trusted: tuple[bool, ...] | None = None if all(mask) else (mask if any(mask) else ())
        self.private = tuple(i for i, e in enumerate(entries) if e[3])
        self.handled = any(e[4] for e in entries)


class _WalkContext:
    """What walking one tool's results needs from its declaration, made once per (declaration, tool)."""

    __slots__ = ("decl", "tool", "kind", "watched", "key_field", "handled", "plans", "root", "fields", "text")

    def __init__(self, flow: PrivacyFlow, decl: Source, tool: str) -> None:
        self.decl, self.tool, self.kind = decl, tool, decl.kind or tool
        self.fields = _declares_fields(decl)
        """Whether the declaration names record fields (a text result is then labelled as a whole)."""
        self.text = _names(decl, "text")
        """Whether it names a field "text" (text blocks are then walked as records)."""
        self.watched = frozenset(decl.private) | frozenset(decl.readers_from)
        self.key_field = decl.key or None
        self.handled = any(decl.is_handled(n) for n in decl.private)
        self.plans: dict[tuple[Any, ...], _Plan] = {}
        """Field names -> plan, for fields outside any record."""
        self.root = flow._entry_of("", decl, tool, self.kind, None)


class _Walk:
    """One walk over one result (see `PrivacyFlow._walk`): the distinct labels of its leaves, their
    taints (by identity, joined once at the end) and its trusted leaves."""

    __slots__ = ("ctx", "flow", "thread_id", "call_id", "obs", "parts", "taints", "trusted", "paths", "handles")

    def __init__(self, ctx: _WalkContext, flow: PrivacyFlow, thread_id: str, call_id: str, obs: Observation,
                 trusted: list[Any], mint: bool = True) -> None:
        self.ctx, self.flow, self.thread_id, self.call_id, self.obs = ctx, flow, thread_id, call_id, obs
        self.parts: dict[int, Label] = {}
        self.taints: dict[int, Label] = {}
        self.trusted = trusted
        self.handles = flow.handles and mint
        self.paths = self.handles and ctx.handled

    def plan_of(self, keys: tuple[Any, ...], record: _Record | None) -> _Plan:
        plans = record.plans if record is not None else self.ctx.plans
        plan = plans.get(keys)
        if plan is None:
            ctx = self.ctx
            plan = _Plan(tuple(self.flow._entry_of(_name_of(k), ctx.decl, ctx.tool, ctx.kind, record) for k in keys))
            if all(k.__class__ is str for k in keys):  # other keys may compare equal and name differently
                if len(plans) > 4096:
                    plans.clear()
                plans[keys] = plan
        return plan

    def echoed(self, v: str) -> bool:
        """True when a leaf is nothing but handles this thread minted (a tool echoed values it received
        through them, or text holding minted tokens): their labels are joined and the leaf is shown as it is.

        A handle-shaped token this thread never minted (text an attacker wrote to look like a handle), or
        a minted handle next to other text, does not exempt the leaf: it is labelled like any leaf (the
        labels of the minted handles in it joined too).
        """
        store, thread, parts = self.flow.store, self.thread_id, self.parts
        minted = True
        for m in HANDLE_RE.finditer(v):
            h = store.get(m.group(0), thread)
            if h is None:
                minted = False
            else:
                parts[id(h.label)] = h.label
        return minted and not HANDLE_RE.sub("", v).strip() and HANDLE_RE.search(v) is not None

    def private_leaf(self, v: Any, e: tuple[Any, ...], path: str) -> Any:
        text = _text(v)
        self.flow._track(text, e[1], self.obs)
        if self.handles and e[4]:
            if isinstance(v, str) and "«" in v:  # a value holding minted handles: the handle stands for it resolved
                v = self.flow.store.resolve(v, self.thread_id)
            ctx = self.ctx
            return self.flow.store.mint(self.thread_id, self.call_id, path, e[0] or ctx.kind, v, e[1],
                                        f"{ctx.tool}#{self.call_id}:{path}")
        return v

    def walk_list(self, node: list[Any], path: str, record: _Record | None, e: tuple[Any, ...]) -> list[Any]:
        out: list[Any] = []
        append = out.append
        lbl, taint, private = e[1], e[2], e[3]
        paths, parts, taints = self.paths, self.parts, self.taints
        for i, v in enumerate(node):
            cls = v.__class__
            if cls is dict:
                append(self.walk_dict(v, f"{path}[{i}]" if paths else "", record))
            elif cls is list:
                append(self.walk_list(v, f"{path}[{i}]" if paths else "", record, e))
            elif cls is not str and isinstance(v, dict):
                append(self.walk_dict(v, f"{path}[{i}]" if paths else "", record))
            elif cls is not str and isinstance(v, (list, tuple)):
                append(self.walk_list(v, f"{path}[{i}]" if paths else "", record, e))
            elif (cls is str or isinstance(v, str)) and "«" in v and self.echoed(v):
                append(v)  # nothing but handles this thread minted (re-handled input): their labels joined
            else:
                parts[id(lbl)] = lbl
                if taint is not None:  # the taint carries where the content came from, not who may read it
                    taints[id(taint)] = taint
                elif v is not None and not (self.handles and e[4]):  # a handled value grounds nothing
                    self.trusted.append(v)
                append(self.private_leaf(v, e, f"{path}[{i}]") if private and v is not None else v)
        return out

    def walk_dict(self, node: dict[Any, Any], path: str, record: _Record | None) -> dict[Any, Any]:
        ctx = self.ctx
        key_field = ctx.key_field
        keyed = key_field is not None and key_field in node
        if keyed or not ctx.watched.isdisjoint(node):
            record = self.flow._record_of(node, ctx.decl, ctx.tool, ctx.kind)
            if keyed:
                keys_ = self.obs.keys
                if keys_ is _NO_KEYS:
                    keys_ = self.obs.keys = {}
                key = (ctx.kind, str(node[key_field]))
                keys_[key] = _join(keys_.get(key, PUBLIC), record.label)
        if node.__class__ is dict:
            keys, values = tuple(node), node.values()
        else:
            items = list(node.items())
            keys, values = tuple(k for k, _ in items), [v for _, v in items]
        plan = self.plan_of(keys, record)
        parts, taints = self.parts, self.taints
        if not (self.handles and plan.handled):
            # every field a string, none a handle: labels, taints and trusted parts as planned
            try:
                joined = "".join(values)
            except TypeError:
                joined = None
            if joined is not None and "«" not in joined:
                parts.update(plan.flat)
                if plan.taints:
                    taints.update(plan.taints)
                if plan.trusted is None:
                    self.trusted.extend(values)
                elif plan.trusted:
                    self.trusted.extend(compress(values, plan.trusted))
                if plan.private:
                    values = tuple(values)
                    track, obs, entries = self.flow._track, self.obs, plan.entries
                    for i in plan.private:
                        track(values[i], entries[i][1], obs)
                return node  # shown as it is: nothing in it changes
        paths = self.paths
        out = {}
        for k, v, e in zip(keys, values, plan.entries):
            cls = v.__class__
            if cls is dict:
                out[k] = self.walk_dict(v, f"{path}.{k}" if paths else "", record)
            elif cls is list:
                out[k] = self.walk_list(v, f"{path}.{k}" if paths else "", record, e)
            elif cls is not str and isinstance(v, dict):
                out[k] = self.walk_dict(v, f"{path}.{k}" if paths else "", record)
            elif cls is not str and isinstance(v, (list, tuple)):
                out[k] = self.walk_list(v, f"{path}.{k}" if paths else "", record, e)
            elif (cls is str or isinstance(v, str)) and "«" in v and self.echoed(v):
                out[k] = v  # nothing but handles this thread minted (re-handled input): their labels joined
            else:
                lbl, taint = e[1], e[2]
                parts[id(lbl)] = lbl
                if taint is not None:
                    taints[id(taint)] = taint
                elif v is not None and not (self.handles and e[4]):  # a handled value grounds nothing
                    self.trusted.append(v)
                out[k] = self.private_leaf(v, e, f"{path}.{k}") if e[3] and v is not None else v
        return out


class _Scan:
    """What argument labelling reads from a thread's messages (see `PrivacyFlow.scan`): a snapshot of
    one state's messages, never changed once made (a call labelling from it must not see the user
    messages of another state on the same thread)."""

    __slots__ = ("messages", "texts", "users", "carrying")

    def __init__(self, messages: list[Any], texts: tuple[str, ...], users: tuple[str, frozenset[str]],
                 carrying: frozenset[str]) -> None:
        self.messages = messages
        """A copy of the messages read (compared with a state's to see what was appended)."""
        self.texts = texts
        """The user messages' texts."""
        self.users = users
        self.carrying = carrying
        """The call ids of tool messages that show the model a result (not a denial, rejection or pause)."""

    def extended(self, messages: list[Any]) -> _Scan:
        """The scan of `messages`, which begin with this scan's."""
        texts, carrying = self.texts, None
        for m in messages[len(self.messages):]:
            if isinstance(m, ToolMessage):
                info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
                if not (isinstance(info, dict) and info.get("outcome") in _NO_RESULT):
                    if carrying is None:
                        carrying = set(self.carrying)
                    carrying.add(m.tool_call_id)
            elif isinstance(m, HumanMessage):
                texts = (*texts, _text(m.content))
        return _Scan(list(messages), texts, self.users if texts is self.texts else _users_forms(texts),
                     self.carrying if carrying is None else frozenset(carrying))


_NO_SCAN = _Scan([], (), _users_forms(()), frozenset())


_NO_RESULT = frozenset({"denied", "rejected", "paused"})
"""Outcomes (in a guard node's tool message artifact) whose message shows no tool result."""


class PrivacyFlow:
    """Information-flow hooks for a guard node: labels, handles, value tracking and context taint.

    Use `flow.guard()` for the matching guard: `Agent(model, tools, guards=[flow.guard()], flow=flow)`.

    Args:
        policy: the user's `PrivacyPolicy`.
        handles: show declared private fields as handles (True) or in clear, tracked by value (False:
            what an audit of an agent that ran without vfa sees).
        secret: the handle HMAC key (fixed when threads must survive a restart).
        journal: the agent's `EffectJournal`; the guard reads a person's approvals from it.
        max_threads: how many threads' observations and handles are kept, the least recently shown a
            result dropped first (rebuilt from the journal if the thread goes on); a thread with a
            call running is never dropped, so the bound may be exceeded by the calls in flight.
    """

    def __init__(self, policy: PrivacyPolicy | None = None, *, handles: bool = True, secret: bytes | None = None,
                 journal: Any = None, max_threads: int = 4096) -> None:
        if max_threads < 1:
            raise ValueError(f"max_threads must be at least 1, got {max_threads}")
        self.policy = policy or PrivacyPolicy()
        self.handles = handles
        self.store = HandleStore(secret)
        self.journal = journal
        if journal is not None:
            self._read_from(journal)
        self.max_threads = max_threads
        self._message_keys: tuple[str, ...] = ("messages",)
        """Where the guard nodes this flow serves keep their messages in the graph state."""
        self._bound: list[Mapping[str, ToolSpec]] = []
        """The tool specs of the guard nodes this flow serves (`bind`), by name."""
        self._obs: dict[tuple[str, str], Observation] = {}
        self._thread_calls: dict[str, list[str]] = {}
        """Thread -> the call ids of its observations, oldest first; ordered by the thread's last result."""
        self._thread_seen: dict[str, set[str]] = {}
        self.private_keys: set[str] = set()
        """Record kinds whose key field is private: named in a `refers` argument only by a handle."""
        self._unrecorded: dict[str, set[str]] = {}
        """Thread -> call ids the model saw a result of that the journal has no record of (fail closed)."""
        self._grants: dict[frozenset[str], frozenset[str]] = {}
        self._leaf_cache: dict[Any, tuple[Source, tuple[Label, Label | None, bool]]] = {}
        self._contexts: dict[tuple[int, str], _WalkContext] = {}
        self._records: dict[Any, _Record] = {}
        self._indexes: dict[str, tuple[list[str], _Index]] = {}
        """Thread -> (its call-id list when indexed, the index of all its observations): a thread dropped
        and begun again has a new list, so an index of the old one is never extended or served."""
        self._scans: dict[str, _Scan] = {}
        self._calls_index: dict[str, tuple[Any, list[str], int, _Index]] = {}
        self._memo: dict[tuple[int, bool, str], tuple[_WalkContext, Observation]] = {}
        self._handle_forms: dict[str, tuple[int, Any, tuple[_Needles, tuple[Label, ...], _Needles, tuple[Label, ...]]]] = {}
        """Thread -> (its handle count, its last handle, the texts of its handle values and their labels, see `_values_of`)."""
        self._held: dict[str, int] = {}
        """Thread -> how many calls on it are running (`hold`): a thread is never dropped while held."""
        self._forgotten: set[str] = set()
        """Held threads `forget` was called for: dropped at their last `release`."""
        self._lock = threading.Lock()
        self._restoring = [threading.Lock() for _ in range(64)]
        """Held while a thread is rebuilt from the journal (`_rebuild`), the thread's by its hash."""
        self._rebuilding: set[str] = set()
        """Threads being rebuilt: a call labelled on one waits for the rebuild."""
        self._marks: dict[str, int] = {}
        """Thread -> entries other connections had written on it when it was last read whole
        (`EffectJournal.elsewhere`; 0, the usual case, is not kept)."""

    def guard(self, **kwargs: Any) -> Any:
        """The privacy guard that reads this flow's labels."""
        from ._privacy import PrivacyGuard

        return PrivacyGuard(self, **kwargs)

    # -- Flow hooks ------------------------------------------------------------------------------

    def label(self, call: Mapping[str, Any], state: Any, thread_id: str) -> dict[str, Label]:
        """Labels of a proposed call's arguments (the kernel sets them as `Proposal.labels`)."""
        args = call.get("args") or {}  # every argument: the guard reads some, a result computed from any carries its trust
        scan = self.scan(state, thread_id)
        if scan is None:
            # (before anything is recorded live: a call without arguments too, or the restore would be skipped)
            if thread_id not in self._thread_seen and thread_id not in self._unrecorded:
                moved = not self._unheard(thread_id)  # holding nothing of the thread: take all the journal has
            else:
                moved = self._moved(thread_id)
            if moved or thread_id in self._rebuilding:
                self._rebuild(thread_id, None, whole=moved)
            if not args:
                return {}
            if thread_id.startswith("unthreaded-") and not thread_id.startswith("unthreaded-run-"):
                # no thread, no messages (a Send of a bare call): nothing ties this call to what the
                # model read at the run's other steps, so it may carry anything (fail closed)
                blind = Label(readers=frozenset(self.policy.user), sources=frozenset({"unrelated-step"}),
                              trusted=False)
                return {name: _join(lbl, blind) for name, lbl in self._label_args(
                    args, thread_id, _users_forms(()), None).items()}
            return self._label_args(args, thread_id, _users_forms(()), None)
        known = self._thread_seen.get(thread_id)
        if known is None and thread_id not in self._unrecorded:
            moved = bool(scan.carrying) or not self._unheard(thread_id)
        else:  # another replica wrote on the thread since it was read: read it again
            moved = self._moved(thread_id)
        if (moved or thread_id in self._rebuilding
                or (scan.carrying and (known is None or not scan.carrying <= known))):
            unseen = self._rebuild(thread_id, scan.carrying, whole=moved)
            if unseen and args:  # results this flow never labelled: what the model knows is unknown (fail closed)
                blind = Label(readers=frozenset(self.policy.user), sources=frozenset(
                    f"unobserved-result:{c}" for c in sorted(unseen)[:3]), trusted=False)
                return {name: _join(lbl, blind) for name, lbl in self._label_args(
                    args, thread_id, scan.users, None).items()}
        if not args:
            return {}
        # every result the thread ever showed the model counts, even one whose message has since been
        # trimmed from the state: the model may still carry what it read (a fork of the history may
        # then see more labels than it earned: false denials, never leaks)
        return self._label_args(args, thread_id, scan.users, None)

    def bind(self, specs: Mapping[str, ToolSpec], journal: Any, messages_key: str = "messages") -> None:
        """Called by each guard node this flow serves: its tools' declarations, its journal (from
        which a thread's observations are rebuilt when this flow no longer holds them, `_restore`)
        and the state key of its messages."""
        self._bound.append(specs)  # kept, not copied: a gate registers its tools after it is built
        for spec in specs.values():  # kinds whose records are keyed by a private field (see `private_keys`)
            src = source_of(spec.meta)
            if src is not None and src.key and src.key in src.private:
                self.private_keys.add(src.kind or spec.name)
        if self.journal is None:
            self.journal = journal
            self._read_from(journal)
        if messages_key not in self._message_keys:
            self._message_keys = (*self._message_keys, messages_key)

    def _read_from(self, journal: Any) -> None:
        """Tell the journal this flow keeps what it reads of threads (`EffectJournal.add_reader`)."""
        add_reader = getattr(journal, "add_reader", None)
        if add_reader is not None:
            add_reader(self)

    def _spec(self, tool: str) -> ToolSpec | None:
        return next((m[tool] for m in self._bound if tool in m), None)

    def forget(self, thread_id: str) -> None:
        """Drop what this flow holds for a thread (its observations, index and handles); while a call
        on it runs, once that call is done. Should the thread go on, it is rebuilt from the journal,
        or its arguments are labelled fail-closed."""
        with self._lock:
            if thread_id in self._held:  # a call on it runs: dropped when the last one is done
                self._forgotten.add(thread_id)
            else:
                self._drop(thread_id)

    def hold(self, thread_id: str) -> None:
        """Keep a thread's state while a call on it runs: the guard node holds the thread from a call's
        labels to its result, so staying under `max_threads` never drops what a running call reads
        (its handles, its index) between one hook and the next."""
        with self._lock:
            self._held[thread_id] = self._held.get(thread_id, 0) + 1

    def release(self, thread_id: str) -> None:
        """End a `hold`; threads over `max_threads` that were held are dropped now."""
        with self._lock:
            self._unhold(thread_id)

    def _unhold(self, thread_id: str) -> None:
        """`release`, with the lock held."""
        n = self._held.pop(thread_id, 0) - 1
        if n > 0:
            self._held[thread_id] = n
        elif thread_id in self._forgotten:
            self._forgotten.discard(thread_id)
            self._drop(thread_id)
        self._trim()

    def _trim(self) -> None:
        """Drop the threads least recently shown a result while over `max_threads`, skipping those a
        running call holds (with the lock held: a thread cannot be held and dropped at once)."""
        threads = self._thread_calls
        excess = len(threads) - self.max_threads
        if excess <= 0:
            return
        held = self._held
        for thread_id in [t for t in itertools.islice((t for t in threads if t not in held), excess)]:
            self._drop(thread_id)

    def _drop(self, thread_id: str) -> None:
        """`forget`, with the lock held."""
        for call in self._thread_calls.pop(thread_id, ()):
            self._obs.pop((thread_id, call), None)
        self._thread_seen.pop(thread_id, None)
        self._unrecorded.pop(thread_id, None)
        self._marks.pop(thread_id, None)
        self._indexes.pop(thread_id, None)
        self._scans.pop(thread_id, None)
        self._calls_index.pop(thread_id, None)
        self.store.forget(thread_id)
        self._handle_forms.pop(thread_id, None)

    def _unheard(self, thread_id: str) -> bool:
        """True when the journal certainly holds nothing of the thread (a new conversation): nothing to
        rebuild. Asked of a thread the flow holds nothing of, no rebuild of it running."""
        may_hold = getattr(self.journal, "may_hold", None)
        return self.journal is None or (may_hold is not None and not may_hold(thread_id))

    def _moved(self, thread_id: str) -> bool:
        """True when others (another replica, another flow on the journal) wrote on the thread since
        this flow last read it whole: what they recorded may be missing here. A journal that cannot
        tell (no `elsewhere`) is read again at every label (fail closed)."""
        journal = self.journal
        if journal is None:
            return False
        elsewhere = getattr(journal, "elsewhere", None)
        return elsewhere is None or elsewhere(thread_id) != self._marks.get(thread_id, 0)

    def _rebuild(self, thread_id: str, carrying: frozenset[str] | None, *, whole: bool = False) -> set[str]:
        """Restore what the flow lacks of a thread, one rebuild at a time: a call labelled on the thread
        meanwhile waits for the whole of it. A thread not in memory (never seen, dropped, a restart),
        or one another replica wrote on (`whole`), takes every result on record it lacks, as it would
        have had it been kept (those trimmed from the messages too); then the results the messages
        show that the journal lacks are returned."""
        with self._lock:
            self._held[thread_id] = self._held.get(thread_id, 0) + 1  # never dropped mid-rebuild
        try:
            # a lock of its own stripe: other conversations' rebuilds go on meanwhile
            with self._restoring[hash(thread_id) % len(self._restoring)]:
                self._rebuilding.add(thread_id)
                try:
                    known = self._thread_seen.get(thread_id)
                    if (whole and self._moved(thread_id)) or (known is None and thread_id not in self._unrecorded):
                        elsewhere = getattr(self.journal, "elsewhere", None)
                        mark = elsewhere(thread_id) if elsewhere is not None else 0  # before the read: a write after it is read next time
                        self._restore(thread_id, None, whole=True)
                        self._mark(thread_id, mark)
                        known = self._thread_seen.get(thread_id)
                        if carrying and self.journal is not None:  # the journal was read whole: what it lacks, it lacks
                            self._unrecord(thread_id, carrying - (known or frozenset()))
                    if carrying and (known is None or not carrying <= known):
                        return self._restore(thread_id, carrying)
                    return set()
                finally:
                    self._rebuilding.discard(thread_id)
        finally:
            with self._lock:
                self._unhold(thread_id)

    def _restore(self, thread_id: str, carrying: frozenset[str] | None, *, whole: bool = False) -> set[str]:
        """Rebuild the observations of results the model saw on a thread but this flow does not hold
        (the process restarted, or the thread was forgotten), from the journal's records of them, in
        the order they were made; returns the call ids still unknown.

        With the same handle secret the rebuilt handles are the ones in the model's context; with
        another, those handles read as forgeries and are denied.
        """
        known = self._thread_seen.get(thread_id, set())
        if carrying is None:  # no messages to tell what the model saw: every result on record counts
            if self.journal is None or (thread_id in self._unrecorded and not whole):
                return set()
        else:
            missing = set(carrying) - known
            if not missing or self.journal is None or missing <= self._unrecorded.get(thread_id, set()):
                return missing  # nothing to look up, nowhere to look, or looked up before in vain
        may_hold = getattr(self.journal, "may_hold", None)
        # a conversation the journal never saw (most first labels) has nothing on record: no query
        entries = () if carrying is None and may_hold is not None and not may_hold(thread_id) \
            else self.journal.entries(thread_id)
        # read anyway: every result on record the flow lacks counts (trimmed from the messages, or
        # shown by another replica), not only those the messages show
        wanted = {e.call_id for e in entries if e.kind in ("ran", "committed", "failed")} - known
        if carrying is None:
            missing = wanted
        scan = self._scans.get(thread_id)
        users = scan.users if scan is not None else _users_forms(())
        labels: dict[str, list[Label]] = {}
        secrets: dict[str, list[Label]] = {}
        for e in entries:
            if e.call_id not in wanted:
                continue
            if e.kind in ("proposed", "edited"):  # its arguments, labelled from what was seen before it
                args = e.data.get("args")
                labels[e.call_id] = list(self._label_args(args, thread_id, users, None).values()) \
                    if isinstance(args, dict) else []
                secrets[e.call_id] = self.secrets_in(args, thread_id)
            elif e.kind in ("ran", "committed", "failed"):
                spec = self._spec(e.tool)
                with self._lock:
                    done = (thread_id, e.call_id) in self._obs
                if spec is not None and not done:
                    decl = source_of(spec.meta)
                    if e.kind == "failed":  # labelled as `observe_error` labels it
                        decl, result = _error_source((decl.kind if decl is not None else "") or e.tool), e.data.get("error")
                    else:
                        result = e.data.get("result")
                    self.record(thread_id, e.call_id, e.tool, decl, result, inputs=labels.get(e.call_id, ()),
                                secrets=secrets.get(e.call_id, ()))
        if carrying is None:  # read whole, and every result restored: not read again (a read or a restore that failed raised)
            with self._lock:
                self._unrecorded.setdefault(thread_id, set())
                if len(self._unrecorded) > self.max_threads:  # bounded like the threads themselves
                    del self._unrecorded[next(iter(self._unrecorded))]
        left = missing - self._thread_seen.get(thread_id, set())
        self._unrecord(thread_id, left)
        return left

    def _mark(self, thread_id: str, mark: int) -> None:
        """Note how many entries other connections had written on the thread when it was read whole."""
        with self._lock:
            if mark:
                self._marks.pop(thread_id, None)
                self._marks[thread_id] = mark
                if len(self._marks) > self.max_threads:  # bounded like the threads themselves
                    del self._marks[next(iter(self._marks))]
            else:
                self._marks.pop(thread_id, None)

    def _unrecord(self, thread_id: str, calls: Collection[str]) -> None:
        """Note calls the journal was read for in vain (not read again for them)."""
        if calls:
            with self._lock:
                self._unrecorded.setdefault(thread_id, set()).update(calls)
                if len(self._unrecorded) > self.max_threads:  # bounded like the threads themselves
                    del self._unrecorded[next(iter(self._unrecorded))]

    def scan(self, state: Any, thread_id: str) -> _Scan | None:
        """The call ids of the state's tool messages that showed results, and its user texts' forms
        (None: no messages).

        Kept per thread and extended by the messages appended since the last call: the history only
        grows between calls, and is read again from scratch when its known prefix changed.
        """
        messages = None
        mapping = state.__class__ is dict or isinstance(state, Mapping)
        for key in self._message_keys:  # a dict state, or a pydantic / dataclass one
            messages = state.get(key) if mapping else getattr(state, key, None)
            if messages is not None:
                break
        if not isinstance(messages, list):
            return None
        scans = self._scans
        old = scans.get(thread_id)
        if old is not None:
            known = old.messages
            n = len(known)
            if len(messages) == n and messages == known:  # identity first: C speed
                return old
            if len(messages) < n or messages[:n] != known:
                old = None  # not a continuation: read from the start
        scan = (old or _NO_SCAN).extended(messages)
        with self._lock:
            if thread_id not in scans and len(scans) >= _RECENT:  # the most recently begun threads only
                del scans[next(iter(scans))]
            scans[thread_id] = scan
        return scan

    def resolve(self, proposal: Proposal) -> dict[str, Any]:
        """The arguments the effect really receives: handles swapped for their values (after the guards)."""
        args = proposal.args
        if not has_marks(args):  # no handle in it: the arguments as they are (a fresh top-level dict)
            return dict(args) if args.__class__ is dict else self.store.resolve(args, proposal.thread_id)
        store, thread = self.store, proposal.thread_id
        lost = [t for t in store.tokens_in(args) if store.get(t, thread) is None]
        if lost:  # the guard denies forged tokens: one unknown now was dropped since (`max_threads`)
            raise HandleError(f"{lost[0]} stands for no value on this thread any more (the flow dropped the "
                              f"thread after the check); nothing was run")
        return store.resolve(args, thread)

    def observe(self, proposal: Proposal, spec: ToolSpec | None, result: Any) -> str:
        """Label a tool result, put handles in place of its private values, and return what the model sees."""
        cached = self._obs.get((proposal.thread_id, proposal.call_id))  # one dict read: atomic
        if cached is not None:  # a replayed node: the same text as the first time
            return cached.text
        obs = self.record(proposal.thread_id, proposal.call_id, proposal.tool,
                          source_of(spec.meta) if spec is not None else None, result,
                          inputs=proposal.labels.values(), secrets=self.secrets_in(proposal.args, proposal.thread_id))
        return obs.text

    def observe_error(self, proposal: Proposal, spec: ToolSpec | None, text: str) -> str:
        """Label a tool's error text: it may quote anything the tool held, so it is private to the
        user and untrusted as a whole, and tracked by value (the model reads it, to recover)."""
        with self._lock:
            cached = self._obs.get((proposal.thread_id, proposal.call_id))
        if cached is not None:
            return cached.text
        decl = source_of(spec.meta) if spec is not None else None
        kind = (decl.kind if decl is not None else "") or proposal.tool
        return self.record(proposal.thread_id, proposal.call_id, proposal.tool, _error_source(kind), text,
                           inputs=proposal.labels.values(),
                           secrets=self.secrets_in(proposal.args, proposal.thread_id)).text

    # -- labelling a result ----------------------------------------------------------------------

    def record(self, thread_id: str, call_id: str, tool: str, decl: Source | None, result: Any,
               inputs: Iterable[Label] = (), secrets: list[Label] | tuple[()] = ()) -> Observation:
        """Label one tool result and remember it for the thread; returns the observation.

        `inputs` are the labels of the call's arguments. A result computed from an untrusted input is
        untrusted whatever the tool declares, and grounds nothing: a tool that echoes what it was
        given (a reminder, "created '<title>'") would otherwise turn an injected value into a
        trusted one.

        `secrets` are the labels of the handles among the arguments: values the model could not read
        but the tool could (and of any handle whose value the result shows). A result computed from one, or its error text, is shown to the model as
        one handle, private to their readers, whatever the tool declares: whatever a tool makes of a
        value (reverses, encodes, slices, tests it) would otherwise reach the model in a form no
        tracking can follow. What the model still learns is whether the call failed: one bit per
        call. In a flow without handles (an audit of values read in clear), the result is shown,
        private to their readers, and tracked.
        """
        computed = bool(secrets)
        if not secrets and self.store.has_thread(thread_id):
            # it shows a value the model may only see as a handle (the world held it): all of it is
            # hidden, not the value alone, or a list of guesses would come back with the right one marked
            secrets = self._shown_secrets(thread_id, result)
        if secrets:
            obs = self._observation(thread_id, call_id, tool, decl, result, inputs, share=False, mint=False)
            return self._remember(thread_id, call_id, self._derived(obs, result, secrets, thread_id, tool,
                                                           hide=self.handles, computed=computed))
        return self._remember(thread_id, call_id, self._observation(thread_id, call_id, tool, decl, result, inputs))

    def _derived(self, obs: Observation, result: Any, secrets: list[Label], thread_id: str, tool: str, *,
                 hide: bool, computed: bool = True) -> Observation:
        """`obs` of a result computed from handled values (see `record`)."""
        # their join, trust aside (the inputs' concern), as sets: a result showing a value read again
        # and again shows every earlier handle of it, and label by label the joins would grow with each
        readers: frozenset[str] | None = None
        sources: set[str] = set()
        for s in secrets:
            if s.readers is not None:
                readers = s.readers if readers is None else readers & s.readers
            sources |= s.sources
        lbl = Label(readers=readers, sources=frozenset(sources))
        if hide:
            # Its own label: the secrets' readers (and any the tool declared), and sources that name it
            # apart, never the result's field names or record keys (they may be computed from the
            # secret: a denial would read them out). Its origins are not the secrets' own, so a
            # person's approval of one never covers the other.
            readers = lbl.readers if obs.label.readers is None else (
                obs.label.readers if lbl.readers is None else lbl.readers & obs.label.readers)
            sources = {f"tool:{tool}", f"derived:{tool}#{obs.call_id}"}
            # what the secrets were derived from, not the secrets' own derived names: those stand for
            # nothing but their call, and a record read again and again would pile them up (a poll of
            # the balance would carry every earlier poll)
            sources.update(s if s.startswith("derived-from:") else f"derived-from:{s}"
                           for s in lbl.sources if not s.startswith(("tool:", "derived:")))
            whole = Label(readers=readers, sources=frozenset(sources),
                          trusted=obs.label.trusted and obs.untrusted is None)
            obs.label = whole
            obs.text = self.store.mint(thread_id, obs.call_id, "$", tool, result, whole, f"{tool}#{obs.call_id}",
                                       derived=True)
            # the model saw a handle: nothing of the result grounds an argument or is copied in clear;
            # records a tool read from the world stay known to sinks that refer to them (a file shared
            # by its path), but not those of a result computed from a secret (their keys may encode it)
            obs.tracked, obs.texts, obs.digits, obs.trusted_parts = (), (), (), ()
            if computed:
                obs.keys = _NO_KEYS
            elif obs.keys:  # not a record named by the value the result was hidden for (a guess would find it)
                obs.keys = {k: v for k, v in obs.keys.items() if not self._shown_secrets(thread_id, str(k[1]))}
            obs._words, obs._trusted_text = frozenset(), ""
            return obs
        obs.label = _join(obs.label, lbl)
        try:
            value = json.loads(obs.text) if not isinstance(result, str) else obs.text
        except ValueError:
            value = obs.text
        for text in _all_strings(value):  # keys too: a tool may key a record by what it computed
            rest = HANDLE_RE.sub(" ", text) if "«" in text else text  # a handle carries its own label
            if rest.strip():
                self._track(rest, lbl, obs, owners=False)  # an address computed from a secret is nobody's own
        return obs

    def secrets_in(self, args: Any, thread_id: str) -> list[Label]:
        """The labels of the handles in a call's arguments. A token this thread's store does not hold
        counts as private to the user: the guard denies a call holding one, so a call that ran with one
        was checked against handles this flow has since lost (a restart, a trimmed history)."""
        if not has_marks(args):
            return []
        store, out = self.store, []
        for t in store.tokens_in(args):
            h = store.get(t, thread_id)
            out.append(h.label if h is not None else self._lost(t))
        return out

    def _lost(self, token: str) -> Label:
        return Label(readers=frozenset(self.policy.user), sources=frozenset({f"lost-handle:{token}"}))

    def _observation(self, thread_id: str, call_id: str, tool: str, decl: Source | None, result: Any,
                     inputs: Iterable[Label], *, share: bool = True, mint: bool = True) -> Observation:
        """The observation of one result (not yet remembered); `share`: it may come from, and go to,
        the memo of results shown alike; `mint`: its private fields are shown as handles of their own
        (not for a result shown as one handle: a field's handle would carry only its declared label)."""
        inputs = inputs if isinstance(inputs, (list, tuple)) else list(inputs)
        tainted = [lbl for lbl in inputs if not lbl.trusted]
        ctx = key = None
        if decl is not None:
            ctx = self._context(decl, tool)
            if ctx.fields:
                # text where records were declared: their fields cannot be told apart, so it is labelled
                # as a whole (text blocks too, unless their `text` field is itself declared)
                if isinstance(result, str):
                    ctx = self._context(_blob_source(decl), tool)
                elif not ctx.text and _is_text_blocks(result):
                    text = "".join(str(b.get("text", "")) for b in result)
                    # not shared: its text is set below, and an observation from the memo is everyone's
                    obs = self._observation(thread_id, call_id, tool, _blob_source(decl), text, inputs,
                                            share=False, mint=mint)
                    obs.text = _SHOWN(result)  # the blocks are shown as they are (a blob hands out no handles)
                    return obs
            key = self._memo_key(ctx, result, thread_id)
            if key is not None and share:
                hit = self._memo.get(key)
                if hit is not None and hit[0] is ctx:  # the same observation serves every call alike
                    return _tainted(hit[1].like(call_id), tainted) if tainted else hit[1]
        obs = Observation(call_id, tool)
        trusted: list[Any] = []
        if ctx is None:
            lbl = Label(sources=frozenset({f"tool:{tool}"}), trusted=self.policy.undeclared_output == "trusted")
            shown = result
            (trusted if lbl.trusted else []).extend(_all_strings(result))
            if not lbl.trusted:
                obs.untrusted = lbl
            obs.label = _join(obs.label, lbl)
        else:
            shown = self._walk(result, ctx, thread_id, call_id, obs, trusted, mint)
        obs.trusted_parts = trusted
        if key is not None:  # nothing in it was handled: the model sees the result as it is
            obs.text = key[2]
            if share:
                memo = self._memo
                with self._lock:
                    if len(memo) >= _MEMO:
                        memo.clear()
                    memo[key] = (ctx, obs)
                if tainted:  # the shared observation stays as the result alone makes it
                    obs = _tainted(obs.like(call_id), tainted)
            else:
                obs = _tainted(obs, tainted)
        else:
            obs.text = shown if isinstance(shown, str) else _SHOWN(shown)
            obs = _tainted(obs, tainted)
        return obs

    def _remember(self, thread_id: str, call_id: str, obs: Observation) -> Observation:
        """Keep `obs` as what the call showed on the thread (an observation shared between calls, see
        `_memo_key`, carries the first call's id: the thread's records say which call it answers)."""
        with self._lock:
            self._obs[(thread_id, call_id)] = obs
            threads = self._thread_calls
            calls = threads.pop(thread_id, None)  # re-inserted last: threads stay ordered by activity
            if calls is None:
                threads[thread_id] = [call_id]
                self._thread_seen[thread_id] = {call_id}
                if len(threads) > self.max_threads:
                    self._trim()
            else:
                calls.append(call_id)
                threads[thread_id] = calls
                self._thread_seen[thread_id].add(call_id)
        return obs

    def _context(self, decl: Source, tool: str) -> _WalkContext:
        ctx = self._contexts.get((id(decl), tool))
        if ctx is None or ctx.decl is not decl:
            if len(self._contexts) > 1024:
                self._contexts.clear()
            ctx = self._contexts[(id(decl), tool)] = _WalkContext(self, decl, tool)
        return ctx

    def _memo_key(self, ctx: _WalkContext, result: Any, thread_id: str) -> tuple[int, bool, str] | None:
        """The key under which a result's observation is shared between calls, or None when it cannot be.

        A result is labelled from its field names and values alone, so two results that show the model
        the same JSON text get the same labels, tracked values and trusted parts. It cannot be shared
        when its declaration hands out handles (they are minted per call), when it holds handle-shaped
        text, values that are not JSON (shown through their repr), or a value of one of this thread's
        handles (whose result is then shown as a handle): those are labelled afresh.
        """
        if self.handles and ctx.handled:
            return None
        if result.__class__ is str:
            text = result
        else:
            try:
                text = _STRICT(result)
            except (TypeError, ValueError):
                return None
        if len(text) > _MEMO_TEXT or "«" in text:
            return None
        if self.store.has_thread(thread_id) and self._values_of(thread_id)[0].found_in(text):
            return None
        return (id(ctx), result.__class__ is str, text)

    def _values_of(self, thread_id: str) -> tuple[_Needles, tuple[Label, ...], _Needles, tuple[Label, ...]]:
        """The texts of a thread's handle values as a result would show them, raw and JSON-escaped
        (values of fewer than three characters left out), and each text's handle label; and the
        normal forms of those of at least `MIN_NORMED` letters and digits with theirs; extended when
        the thread minted more (a long thread's handles are read once each, not on every result)."""
        handles = self.store.of_thread(thread_id)
        hit = self._handle_forms.get(thread_id)
        start = 0
        if hit is not None:
            count, last, out = hit
            # a thread's handles are only ever appended, unless the store dropped the thread since
            if count <= len(handles) and (count == 0 or handles[count - 1] is last):
                if count == len(handles):
                    return out
                start = count
        forms: list[str] = []
        labels: list[Label] = []
        normed: list[str] = []
        normed_labels: list[Label] = []
        for h in handles[start:]:
            t = _text(h.value)
            more = [t, _STRICT(t)[1:-1]] if len(t) >= 3 else []
            if isinstance(h.value, float):  # also as JSON writes it (1e+16, 4.2e-07)
                more.append(_STRICT(h.value))
            forms += more
            labels += [h.label] * len(more)
            if len(n := _norm_of(t)) >= MIN_NORMED:
                normed.append(n)
                normed_labels.append(h.label)
        if start:
            out = (out[0].extended(forms), (*out[1], *labels), out[2].extended(normed), (*out[3], *normed_labels))
        else:
            out = (_Needles(tuple(forms)), tuple(labels), _Needles(tuple(normed)), tuple(normed_labels))
        with self._lock:
            self._handle_forms[thread_id] = (len(handles), handles[-1] if handles else None, out)
        return out

    def _shown_secrets(self, thread_id: str, result: Any) -> list[Label]:
        """The labels of the thread's handles whose value a result shows."""
        forms, labels, normed, normed_labels = self._values_of(thread_id)
        if not forms.items:
            return []
        text = result if isinstance(result, str) else _SHOWN(result)
        found = [labels[i] for i in forms.found_in(text)]
        # also with case and punctuation ignored inside one word, for values long enough to mean
        # something (a stored SSN written 078051120, a salary 84,300.75); never across words, or
        # unrelated numbers side by side ("11.99, 0.04") would spell a date of birth. The words'
        # normal forms run together are the text's: a value in none of them needs no word split.
        if normed.items:
            maybe = normed.found_in(_norm(text))
            if maybe:
                words = _word_norms(text)
                found += [normed_labels[i] for i in maybe if normed.items[i] in words]
        return found

    def _walk(self, result: Any, ctx: _WalkContext, thread_id: str, call_id: str, obs: Observation,
              trusted: list[Any], mint: bool = True) -> Any:
        """What the model sees of a declared result: every part labelled, private fields handled or tracked.

        One recursive pass (`_Walk`). A record's fields are labelled by a plan made once per (record,
        field names): each field's name, labels and whether it is private or handled. A leaf's path (for
        its handle) is built only when the declaration hands out handles. Trusted leaves are kept as they
        are and turned into text only when grounding needs it.
        """
        w = _Walk(ctx, self, thread_id, call_id, obs, trusted, mint)
        if isinstance(result, dict):
            shown = w.walk_dict(result, "", None)
        elif isinstance(result, (list, tuple)):
            shown = w.walk_list(result, "", None, ctx.root)
        elif isinstance(result, str) and "«" in result and w.echoed(result):
            shown = result
        else:
            e = ctx.root
            w.parts[id(e[1])] = e[1]
            if e[2] is not None:
                w.taints[id(e[2])] = e[2]
            elif result is not None and not (self.handles and e[4]):
                trusted.append(result)
            shown = w.private_leaf(result, e, "") if e[3] and result is not None else result
        parts = w.parts
        obs.label = _join_many((obs.label, *parts.values())) if len(parts) != 1 else _join(obs.label, *parts.values())
        taints = w.taints
        if taints:
            obs.untrusted = _join_many((*taints.values(),) if obs.untrusted is None else (obs.untrusted, *taints.values()))
        return shown

    def _entry_of(self, name: str, decl: Source, tool: str, kind: str,
                  record: _Record | None) -> tuple[str, Label, Label | None, bool, bool]:
        """A field's plan entry: (name, label, taint, private, handled)."""
        if record is not None:
            cached = record.leaves.get(name)
            if cached is None:
                cached = record.leaves[name] = self._leaf_label_of(name, decl, tool, kind, record)
        else:
            key = (id(decl), tool, kind, name)
            hit = self._leaf_cache.get(key)
            if hit is None or hit[0] is not decl:
                if len(self._leaf_cache) > 4096:
                    self._leaf_cache.clear()
                hit = self._leaf_cache[key] = (decl, self._leaf_label_of(name, decl, tool, kind, None))
            cached = hit[1]
        lbl, taint, private = cached
        return name, lbl, taint, private, private and decl.is_handled(name)

    def _record_of(self, node: Mapping[str, Any], decl: Source, tool: str, kind: str) -> _Record:
        """The record's label and tags, shared by every record with the same key and readers."""
        who = tuple(principals(node.get(f)) for f in decl.readers_from)
        memo = (id(decl), tool, kind, str(node[decl.key]) if decl.key and decl.key in node else None, who)
        rec = self._records.get(memo)
        if rec is None:
            if len(self._records) > 4096:
                self._records.clear()
            rec = self._records[memo] = _Record(*self._record_label(node, decl, tool, kind))
        return rec

    def _record_label(self, node: Mapping[str, Any], decl: Source, tool: str, kind: str) -> tuple[Label, frozenset[str]]:
        sources = {f"tool:{tool}"}
        if decl.key and decl.key in node:
            key = str(node[decl.key])  # a private key goes by a digest: a denial reads its sources out
            if decl.key in decl.private:
                self.private_keys.add(kind)
                sources.add(f"{kind}:{self.store.digest(key)}")
            else:
                sources.add(f"{kind}:{key}")
        tags = set(sources)
        readers: set[str] | None = set(self.policy.user)
        for f in decl.readers_from:
            who = principals(node.get(f))
            tags |= {f"{kind}:{f}:{p}" for p in who}
            if "*" in who:
                readers = None
            elif readers is not None:
                readers |= who
        lbl = Label(readers=None if readers is None else frozenset(readers), sources=frozenset(sources))
        return lbl, frozenset(tags)

    def _leaf_label_of(self, name: str, decl: Source, tool: str, kind: str,
                       record: _Record | None) -> tuple[Label, Label | None, bool]:
        base, tags = (record.label, record.tags) if record is not None else (Label(readers=frozenset(self.policy.user),
                                                              sources=frozenset({f"tool:{tool}"})), frozenset())
        untrusted = decl.is_untrusted(name) and not self.policy.trusts(tags | base.sources)
        private = name in decl.private
        sources = base.sources | {f"{kind}.{name}"} if name else base.sources
        readers = None
        if private and base.readers is not None:
            readers = base.readers | self._granted(sources | tags)
        taint = Label(sources=sources, trusted=False) if untrusted else None
        return Label(readers=readers, sources=sources, trusted=not untrusted), taint, private

    def _granted(self, sources: frozenset[str]) -> frozenset[str]:
        got = self._grants.get(sources)
        if got is None:
            got = self._grants[sources] = self.policy.granted(sources)
        return got

    def _track(self, text: str, lbl: Label, obs: Observation, *, owners: bool = True) -> None:
        n, padded, alnum, digits, owned = _track_forms(text)
        owners = owned if owners else ()
        if n is not None or alnum:
            if obs.tracked.__class__ is tuple:
                obs.tracked = []
            owner = dict(owners) if owners else None
            if n is not None:
                obs.tracked.append((n, lbl if owner is None or n not in owner else _readable_by(lbl, owner[n])))
            if owner is None:
                obs.tracked.extend((t, lbl) for t in alnum)
            else:
                obs.tracked.extend((t, lbl if t not in owner else _readable_by(lbl, owner[t])) for t in alnum)
        if digits:
            if obs.digits.__class__ is tuple:
                obs.digits = []
            if owners:
                owner = dict(owners)
                obs.digits.extend((d, lbl if d not in owner else _readable_by(lbl, owner[d])) for d in digits)
            else:
                obs.digits.extend((d, lbl) for d in digits)
        if padded is not None:
            if obs.texts.__class__ is tuple:
                obs.texts = []
            obs.texts.append((padded, lbl))

    # -- labelling arguments ---------------------------------------------------------------------

    def seen(self, thread_id: str, calls: Collection[str] | None = None) -> list[Observation]:
        """The thread's observations, oldest first; only those whose call ids are in `calls` if given."""
        with self._lock:
            ids = list(self._thread_calls.get(thread_id, ()))
            return [self._obs[(thread_id, c)] for c in ids if calls is None or c in calls]

    def label_args(self, args: Mapping[str, Any], thread_id: str, user_texts: Iterable[str] = (),
                   calls: set[str] | None = None) -> dict[str, Label]:
        """Label each argument from what the model saw on this thread (see the module docstring)."""
        return self._label_args(args, thread_id, _users_forms(tuple(user_texts)), calls)

    def _label_args(self, args: Mapping[str, Any], thread_id: str, users_forms: tuple[str, frozenset[str]],
                    calls: Collection[str] | None) -> dict[str, Label]:
        idx = self._index(thread_id, calls)
        users, user_words = users_forms
        leaf_label = self._leaf_label
        out: dict[str, Label] = {}
        for name, value in args.items():
            if value.__class__ is str:  # one leaf: its label
                out[name] = leaf_label(value, thread_id, idx, users, user_words)
            else:
                out[name] = _join_all([leaf_label(leaf, thread_id, idx, users, user_words) for leaf in _leaves(value)])
        return out

    def _index(self, thread_id: str, calls: Collection[str] | None) -> _Index:
        """The thread's observations (those in `calls` if given), indexed; extended as results arrive."""
        if calls is not None:
            ids = self._thread_calls.get(thread_id, ())
            if len(calls) >= len(ids) and (calls.issuperset(ids) if isinstance(calls, (set, frozenset))
                                           else all(c in calls for c in ids)):
                return self._index_of(thread_id, None)  # the model saw every result: nothing to leave out
            # the same call set (a frozenset from `scan`) and no new observation: the same index
            hit = self._calls_index.get(thread_id)
            if hit is not None and hit[0] is calls and hit[1] is ids and hit[2] == len(ids):
                return hit[3]
            n = len(ids)  # counted before indexing: a result landing meanwhile makes the entry miss
            idx = self._index_of(thread_id, calls)
            if isinstance(calls, frozenset) and isinstance(ids, list):
                memo = self._calls_index
                with self._lock:
                    if memo.pop(thread_id, None) is None and len(memo) >= _RECENT:
                        del memo[next(iter(memo))]
                    memo[thread_id] = (calls, ids, n, idx)
            return idx
        return self._index_of(thread_id, None)

    def _index_of(self, thread_id: str, calls: Collection[str] | None) -> _Index:
        if calls is not None:  # a filtered history: indexed apart, never kept as the thread's index
            return _EMPTY_INDEX.extended(self.seen(thread_id, calls))
        # a thread's observations are only ever appended to its list of calls: its index is extended
        # with those it does not hold yet, while the list is the one it was built from
        hit = self._indexes.get(thread_id)
        with self._lock:
            ids = self._thread_calls.get(thread_id)
            if ids is None:
                return _EMPTY_INDEX  # nothing observed: nothing kept either
            if hit is not None and hit[0] is ids:
                idx = hit[1]
                n = len(idx.obs)
                if n == len(ids):
                    return idx
                more = [self._obs[(thread_id, c)] for c in ids[n:]]
            else:
                idx = _EMPTY_INDEX
                more = [self._obs[(thread_id, c)] for c in ids]
        idx = idx.extended(more)
        with self._lock:
            if self._thread_calls.get(thread_id) is ids:  # not dropped meanwhile
                current = self._indexes.get(thread_id)
                if current is None or current[0] is not ids or len(current[1].obs) < len(idx.obs):
                    self._indexes[thread_id] = (ids, idx)
        return idx

    def _leaf_label(self, leaf: Any, thread_id: str, idx: _Index, users: str, user_words: frozenset[str]) -> Label:
        text = _text(leaf)
        out = held = PUBLIC  # the labels of the text around the handles, and of the handles in it
        if "«" in text:
            for m in HANDLE_RE.finditer(text):
                h = self.store.get(m.group(0), thread_id)
                held = _join(held, h.label if h is not None else Label(
                    readers=frozenset(), sources=frozenset({f"forged-handle:{m.group(0)}"}), trusted=False))
            rest = HANDLE_RE.sub(" ", text)
        else:
            rest = text
        if not rest.strip():
            return held  # empty, or nothing but handles
        n = _norm_of(rest)  # may be empty (nothing but punctuation): still subject to taint below
        if n and idx.tracked:
            tracked = idx.tracked
            for value in idx.tracked_in(n):
                out = _join(out, tracked[value])
        if idx.digits:
            out = _digit_label(out, _digits_of(rest), idx)
        if idx.texts:
            out = _text_label(out, _words(rest), idx)
        number = isinstance(leaf, (int, float))
        short = number or len(n) < MIN_TRACKED
        key = _num(text) if number else n
        # grounded in what the user typed: whole tokens of it (never a piece of one, nor a look-alike
        # that differs only in punctuation: bob@fami.ly.example is not bob@family.example)
        # a number only as a whole token of it ("#": see `_user_forms`), a short text as a word of it
        in_user = ("#" + key in user_words) if number else (key in user_words) if short else (f" {_phrase(rest)} " in users)
        # what vouches for the words around handles never vouches for the handles: each keeps its label
        if in_user or text.strip().lower() in self.policy.addresses:  # the user's own address is the user's word
            return _join(_vouched(_join(out, USER)), held)
        if idx.taint is not None or not out.trusted:
            trusted = idx.trusted_words  # whole trusted values only: a word of one grounds nothing
            if _value_form(rest) in trusted or (number and key in trusted):
                return _join(_vouched(out), held)  # a trusted tool gave this very value: untrusted text also holding it adds no authority
            if idx.taint is not None:
                out = _join(out, idx.taint)
        return _join(out, held)

    def content_label(self, texts: Iterable[str], thread_id: str, calls: Collection[str] | None = None) -> Label:
        """The label value tracking gives texts joined together (all of them forward and in reverse, and
        any two of them either way, `Cuts`): a private value split across two arguments of one call is
        caught, other arguments between them or not (no taint: only what it carries).

        Each text is normalised on its own (as when it was labelled alone, so the cached forms serve) and
        the forms are joined: texts are joined at a space, so no letter, digit or word merges across them.
        """
        parts = [HANDLE_RE.sub(" ", t) if "«" in t else t for t in texts if t]
        if len(parts) < 2:
            return PUBLIC
        idx = self._index(thread_id, calls)
        if not (idx.tracked or idx.digits or idx.texts):
            return PUBLIC  # nothing tracked: nothing to find, joined or not
        out = PUBLIC
        orders, cut, _more = _orders(parts, idx)
        for lbl in cut:  # values cut across two texts apart (every one of them: the orders keep some pairs)
            out = _join(out, lbl)
        if idx.tracked:
            norms = [_norm_of(p) for p in parts]
            tracked = idx.tracked
            for value in {v for order in orders for v in idx.tracked_in("".join([norms[i] for i in order]))}:
                out = _join(out, tracked[value])
        if idx.digits:
            digits = [_digits_of(p) for p in parts]
            for order in orders:
                out = _digit_label(out, "".join([digits[i] for i in order]), idx)
        if idx.texts:
            words = [_words(p) for p in parts]
            # a run across a join holds the last word before it and the first after it, side by side:
            # when no private text holds any such pair, no run across a join can be in one
            sides = [[words[i] for i in order if words[i]] for order in orders]
            pairs = {f" {x[-1]} {y[0]} " for side in sides for x, y in zip(side, side[1:])}
            if not any(p in private for private in idx.texts for p in pairs):
                return out
            for side in sides:
                # runs inside one text were looked up when it was labelled: only those across a join are new
                joined: list[str] = []
                starts: set[int] = set()
                for ws in side:
                    if joined:
                        starts.update(range(max(0, len(joined) - SHINGLE + 1), len(joined)))
                    joined += ws
                last = len(joined) - SHINGLE
                out = _text_label(out, joined, idx, sorted(i for i in starts if i <= last))
        return out

    def values_in(self, values: Iterable[Any], thread_id: str, texts: Iterable[str] | None = None) -> frozenset[str]:
        """Keyed digests of the private values that arguments carry: what a person's approval "for this
        recipient" covers. Found as labelling finds them (by handle, in clear, split across the
        arguments), each known by how it is written: the whole words it lies in, case kept, runs of
        white space as one space, and those of its words that folding changed as they were written. So
        another value of the same normal form (4210.75 and 42107.5; a password in another case; a
        look-alike), a value inside a longer one, or digits scattered through a text is not the value
        approved; a private text is known by each six-word run of it shown, a handle by its value. A
        handle this thread does not hold is a value of its own, and so is a call with more matches
        than `_MAX_VALUES` (no approval covers it: the question is asked each time). `texts`: the
        leaves as text, if not every leaf of `values` as labelling reads it (`_text`)."""
        store, idx = self.store, self._index(thread_id, None)
        found: set[str] = set()
        parts: list[str] = []
        for t in (texts if texts is not None else (_text(x) for v in values for x in _leaves(v))):
            if not t:
                continue  # nothing in it, and no place among the texts joined (as `content_label` joins them)
            if "«" in t:
                for m in HANDLE_RE.finditer(t):
                    h = store.get(m.group(0), thread_id)
                    found.add(f"value\0{_spelling(_text(h.value))}" if h is not None else f"handle\0{m.group(0)}")
                t = HANDLE_RE.sub(" ", t)
            parts.append(t)
        seen = [0]
        plain = all(t.isascii() for t in parts)  # folding changes no word: no word to tie to its place
        try:
            orders, _cut, more = _orders(parts, idx)
            if more:  # values cut across more pairs of texts than are joined: not all of them are named
                raise _TooMany
            for order in orders:  # every run of a text, and across joins (as `content_label` joins)
                texts_ = [parts[i] for i in order]
                if plain:
                    joined, written = " ".join(texts_), None
                else:
                    joined, written = _folded_words(texts_)
                low = joined.lower()
                at = _Places(low)
                _spans(joined, _NOT_ALNUM.sub("", low), at.alnum, idx.tracked, found, at, seen, written)
                d = _NOT_DIGIT.sub("", low)
                if len(d) >= MIN_DIGITS:
                    _spans(joined, d, at.digits, idx.digits, found, at, seen, written)
                if idx.texts:
                    shingles, runs = idx.shingles, at.runs
                    for i in range(len(runs) - SHINGLE + 1):
                        if " ".join(low[a:b] for a, b in runs[i:i + SHINGLE]) in shingles:
                            a, b = runs[i][0], runs[i + SHINGLE - 1][1]
                            found.add("\0".join(("run", " ".join(joined[a:b].split()), *_written(a, b, written))))
                            seen[0] += 1
                            if seen[0] > _MAX_VALUES:
                                raise _TooMany
        except _TooMany:
            found.add(f"unbounded\0{uuid.uuid4().hex}")
        return frozenset(store.digest(v) for v in found)

    def holds_values(self, thread_id: str) -> bool:
        """Whether value tracking can find anything in this thread's arguments: a private value, digit
        token or text was shown on it (else an argument's label is its own, alone or joined)."""
        idx = self._index(thread_id, None)
        return bool(idx.tracked or idx.digits or idx.texts)

    def key_label(self, thread_id: str, kind: str, key: Any, calls: Collection[str] | None = None) -> Label | None:
        """The label of a record (kind, key) the model saw on this thread, or None if it never saw it."""
        return self._index(thread_id, calls).keys.get((kind, str(key)))

    def unknown_handles(self, args: Any, thread_id: str) -> list[str]:
        """Handle-shaped tokens in the arguments that this thread never minted (forged or foreign)."""
        return [t for t in self.store.tokens_in(args) if self.store.get(t, thread_id) is None]


def _orders(parts: list[str], idx: _Index) -> tuple[list[tuple[int, ...]], list[Label], bool]:
    """How texts (a call's arguments to one audience) are joined to find the values split across them:
    all of them forward and backward, and each two not side by side, both ways (side by side, those
    two joins hold them). Past `_PAIRED` texts, only the two that a value is cut across (`Cuts`):
    every two would be n² joins. Returns the orders, the labels of the values found cut across two
    texts, and whether not every pair holding such a value is among the orders (`values_in` then
    cannot name them all)."""
    n = len(parts)
    forward = tuple(range(n))
    orders: list[tuple[int, ...]] = [forward, forward[::-1]]
    if n <= 2:
        return orders, [], False
    if n <= _PAIRED:
        return orders + _apart(n), [], False
    pairs: set[tuple[int, int]] = set()
    labels: list[Label] = []
    more = False
    try:
        found = []
        if idx.tracked:
            found.append((idx.tracked, idx.cut_across("tracked", [_norm_of(p) for p in parts]), None))
        if idx.digits:
            found.append((idx.digits, idx.cut_across("digits", [_digits_of(p) for p in parts]), None))
        if idx.texts:
            words = [_words(p) for p in parts]
            places = [i for i, ws in enumerate(words) if ws]  # texts without words are left out, as labelling does
            found.append((idx.shingles, idx.cut_across("shingles", [words[k] for k in places]), places))
    except TooManyCuts:  # more ways to cut than may be tested: join every two while few, else fail closed
        return (orders + _apart(n), [], False) if n <= _ALL_PAIRS else (orders, [_UNCUT], True)
    for values, (cut, capped), places in found:
        more = more or capped
        for value, where in cut.items():
            labels.append(values[value])
            pairs.update(where if places is None else ((places[i], places[j]) for i, j in where))
    apart = sorted(p for p in pairs if abs(p[0] - p[1]) > 1)
    return orders + apart[:_MAX_PAIRS], labels, more or len(apart) > _MAX_PAIRS


def _apart(n: int) -> list[tuple[int, ...]]:
    """Every two of n texts that are not side by side, both ways."""
    return [(i, j) for i in range(n) for j in range(n) if abs(i - j) > 1]


_PAIRED = 4
"""Up to this many texts to one audience, every two are joined (at most six joins more)."""
_UNCUT = Label(readers=frozenset(), sources=frozenset({"values-cut-past-bound"}), trusted=False)
"""The label of texts too many values could be cut across to test them all: readable by the user
alone, and what they disclose unknown (`values_in` counts it unbounded: a person is asked each time)."""
_MAX_PAIRS = 64
"""Past this many pairs of texts with a value cut across them, `values_in` counts the call's values as
unbounded (no approval covers them)."""
_ALL_PAIRS = 32
"""Up to this many texts, every two are joined when too many values could be cut across them to test."""


def _text_label(out: Label, words: list[str], idx: _Index, starts: list[int] | None = None) -> Label:
    """`out` joined with the label of every private text of which `words` hold six consecutive words
    (only the runs beginning at `starts`, if given)."""
    runs = range(len(words) - SHINGLE + 1) if starts is None else starts
    if not runs:
        return out
    if len(runs) * len(idx.texts) <= _SCAN:
        padded = [f" {' '.join(words[i:i + SHINGLE])} " for i in runs]
        for private, lbl in idx.texts.items():
            if _join(out, lbl) is not out and any(map(private.__contains__, padded)):
                out = _join(out, lbl)
        return out
    shingles = idx.shingles
    for i in runs:
        lbl = shingles.get(" ".join(words[i:i + SHINGLE]))
        if lbl is not None:
            out = _join(out, lbl)
    return out


def _digit_label(out: Label, digits: str, idx: _Index) -> Label:
    """`out` joined with the label of every digit token found in `digits` (an argument's digits in order)."""
    if len(digits) >= MIN_DIGITS:
        tracked = idx.digits
        for d in idx.digits_in(digits):
            out = _join(out, tracked[d])
    return out


def _spelling(text: str) -> str:
    """A handle's value as `_spans` knows one written in clear: case kept, runs of white space as one
    space; a value that folding changes, with its words as written (a look-alike is another value)."""
    folded = " ".join(_fold(text).split())
    written = " ".join(text.split())
    return folded if folded == written else f"{folded}\0{written}"


def _folded_words(texts: list[str]) -> tuple[str, tuple[list[int], list[str | None]]]:
    """The texts joined by a space, each word folded (`_fold`), and where each word begins in that text
    with how it was written where folding changed it (see `_written`)."""
    folded: list[str] = []
    at: list[int] = []
    written: list[str | None] = []
    k = 0
    for w in (w for t in texts for w in t.split()):
        f = _fold(w)
        if len(f.lower()) != len(f):  # keep positions: lower-casing must not change lengths
            f = f.lower()
        folded.append(f)
        at.append(k)
        written.append(None if f == w else w)
        k += len(f) + 1
    return " ".join(folded), (at, written)


def _written(start: int, end: int, written: tuple[list[int], list[str | None]] | None) -> list[str]:
    """The words folding changed that lie in `text[start:end]`, as they were written (`written`: where
    each word begins, and how it was written if folding changed it)."""
    if written is None:
        return []
    at, words = written
    return [w for w in words[max(0, bisect_right(at, start) - 1):bisect_left(at, end)] if w]


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


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (k, *_leaves(v))]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [x for v in value for x in _leaves(v)]
    return [value]


def _all_strings(value: Any) -> list[str]:
    return [_text(v) for v in _leaves(value) if v is not None]

