"""Handles: opaque references that stand for private values in the model's context.

A handle looks like `«ssn:3f9c0a1be27d4410»`. The model can copy it into an argument, but it cannot read
the value behind it: the value is swapped in only at commit time, after the guards allowed the flow,
and the journal keeps the handle form. A handle's id is an HMAC of (thread, call, path) under a secret
the model never sees, so one cannot be forged from text, guessed, or carried over from another thread.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from vfa import Label, VfaError
from vfa._journal import Opaque
from vfa._jsontext import json_text

__all__ = ["HANDLE_RE", "Handle", "HandleError", "HandleStore", "has_marks"]

HANDLE_RE = re.compile(r"«([a-z0-9_]{1,24}):([0-9a-f]{16})»")
"""What a handle looks like in text; anything matching it but never minted is a forgery."""


class HandleError(VfaError):
    """A handle in a call's arguments stands for no value at commit time.

    Its thread was dropped after the check: the call fails instead of handing the effect the token's
    text."""


@dataclass(frozen=True)
class Handle:
    """One minted handle: the value it stands for, its label, and where the value came from."""

    token: str
    thread_id: str
    value: Any = field(repr=False)
    """What the handle stands for: never in its repr (a log of a handle would show what it hides)."""
    label: Label
    origin: str
    """Tool, call and path of the value, e.g. "get_profile#call_0_0:ssn"."""
    derived: bool = False
    """A value a tool computed from handles it was given (not a field it read)."""


class HandleStore:
    """Mints handles deterministically and resolves them, per thread.

    Args:
        secret: the HMAC key. Give a fixed secret when threads must survive a process restart (the
            checkpointed messages hold handles minted under it); by default a fresh random one.
    """

    def __init__(self, secret: bytes | None = None) -> None:
        # a copy: a bytearray the caller wipes once the flow is built would change the key under every handle
        self._secret = bytes(secret) if secret is not None else os.urandom(32)
        self._by_token: dict[str, Handle] = {}
        self._by_thread: dict[str, dict[str, Handle]] = {}
        self._order: dict[str, list[Handle]] = {}
        """Thread -> its handles in the order they were first minted (`_by_thread`'s values, as a list)."""
        self._place: dict[str, int] = {}
        """Token -> its place in its thread's `_order`."""
        self._tellings: dict[str, tuple[int, Handle, Any]] = {}
        """Thread -> (its handle count, its last handle, what `withheld` looks for)."""
        self._lock = threading.Lock()

    def digest(self, text: str) -> str:
        """A keyed digest naming a private value where its name is shown (a private record key)."""
        return "#" + hmac.new(self._secret, f"name\0{text}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:16]

    def token(self, thread_id: str, call_id: str, path: str, name: str) -> str:
        """The handle `mint` gives the value at (thread, call, path), without minting it."""
        if "\0" in thread_id or "\0" in call_id:
            # joined with NULs, ids holding one are not told apart (call "c0\0.p" at path ".ssn" is call "c0" at
            # ".p\0.ssn", a key the result chose): written as JSON after a single NUL, a text no NUL-free ids give
            # (theirs hold two), so those keep the handles they always had (threads checkpointed under a fixed secret)
            text = "\0" + json.dumps([thread_id, call_id, path])
        else:
            text = f"{thread_id}\0{call_id}\0{path}"
        # a path holds the result's keys, a lone surrogate among them (JSON may write one): encoded as the digest does
        digest = hmac.new(self._secret, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:16]
        kind = re.sub(r"[^a-z0-9_]", "_", name.lower())[:24] or "value"
        return f"«{kind}:{digest}»"

    def mint(self, thread_id: str, call_id: str, path: str, name: str, value: Any, label: Label, origin: str,
             *, derived: bool = False) -> str:
        """The handle for one value; the same (thread, call, path) always gives the same handle."""
        token = self.token(thread_id, call_id, path, name)
        h = Handle(token, thread_id, value, label, origin, derived)
        with self._lock:
            self._by_token[token] = h
            minted = self._by_thread.setdefault(thread_id, {})
            order = self._order.setdefault(thread_id, [])
            if token in minted:  # minted again (a call recorded again): it keeps its place
                order[self._place[token]] = h
            else:
                self._place[token] = len(order)
                order.append(h)
            minted[token] = h
        return token

    def of_thread(self, thread_id: str, start: int = 0) -> list[Handle]:
        """Every handle minted on a thread, oldest first; from the `start`th on, if given (a reader
        that holds the first ones takes only the rest, however long the thread)."""
        with self._lock:
            return self._order.get(thread_id, [])[start:]

    def tail(self, thread_id: str, start: int) -> tuple[int, Handle | None, list[Handle]]:
        """How many handles a thread has, the one just before the `start`th (None at 0 or past the
        end) and those from the `start`th on: what a reader holding the first `start` needs."""
        with self._lock:
            order = self._order.get(thread_id, [])
            return len(order), order[start - 1] if 0 < start <= len(order) else None, order[start:]

    def forget(self, thread_id: str) -> list[str]:
        """Drop every handle minted on a thread; returns their tokens."""
        with self._lock:
            gone = list(self._by_thread.pop(thread_id, {}))
            self._order.pop(thread_id, None)
            self._tellings.pop(thread_id, None)
            for token in gone:
                self._by_token.pop(token, None)
                self._place.pop(token, None)
        return gone

    def has_thread(self, thread_id: str) -> bool:
        """Whether any handle was minted on a thread."""
        return bool(self._by_thread.get(thread_id))

    def get(self, token: str, thread_id: str) -> Handle | None:
        """The handle a token names in this thread, or None (never minted, or minted for another thread)."""
        h = self._by_token.get(token)
        return h if h is not None and h.thread_id == thread_id else None

    def tokens_in(self, value: Any, marked: bool | None = None) -> list[str]:
        """Every handle-shaped token in a value (strings inside lists and dicts too), in order; `marked`:
        `has_marks(value)`, if the caller knows it."""
        if not (has_marks(value) if marked is None else marked):
            return []
        return [m.group(0) for text in _marked(value, []) for m in HANDLE_RE.finditer(text)]

    def resolve(self, value: Any, thread_id: str) -> Any:
        """The value with every known handle of the thread replaced by what it stands for.

        An argument that is exactly one handle gets the original value (a number stays a number; a
        value JSON could not carry, which the journal recorded by its repr, its text: a date as
        "1990-04-12", for the tool's schema to read, never the journal's stand-in); a handle inside
        text is replaced by the value's text. Unknown tokens are left as they are (the privacy guard
        has already denied any proposal holding one).
        """
        if isinstance(value, str):
            whole = HANDLE_RE.fullmatch(value)
            if whole:
                h = self.get(value, thread_id)
                return value if h is None else _given(h.value)

            def swap(m: re.Match[str]) -> str:
                h = self.get(m.group(0), thread_id)
                return m.group(0) if h is None else _value_text(h.value)

            return HANDLE_RE.sub(swap, value)
        if isinstance(value, dict):  # keys too: labelling reads them as it reads values
            return {self._key(k, thread_id) if k.__class__ is str else k: self.resolve(v, thread_id)
                    for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            items = [self.resolve(v, thread_id) for v in value]
            cls = type(value)
            make = getattr(cls, "_make", None)  # a NamedTuple takes its fields one by one, not an iterable
            try:
                return make(items) if make is not None else cls(items)
            except Exception:  # noqa: BLE001 - a subclass built otherwise: its plain kind, the values in place
                return items if isinstance(value, list) else tuple(items)
        return value

    def _key(self, key: str, thread_id: str) -> Any:
        """A dict key with its handles resolved: a record's or a list's handle, which no key can be, as its
        JSON text (as inside a longer text)."""
        out = self.resolve(key, thread_id)
        if isinstance(out, (dict, list)):
            h = self.get(key, thread_id)
            return key if h is None else _value_text(h.value)
        return out

    def withheld(self, value: Any, thread_id: str) -> Any:
        """`value` (a guard's verdict as JSON, or a text) with every value a handle of the thread stands
        for written as its token: what a guard that judged values says of them, in the form the model
        holds them. Text is replaced wherever it holds a value's text (as written, or escaped as a repr
        or JSON writes it; a number only where it stands whole, not inside another number or a word);
        a record's or a list's values one by one too."""
        told = self._telling(thread_id)
        if told is None:
            return value
        whole, records, pattern, forms = told

        def walk(x: Any) -> Any:
            if x.__class__ is bool:  # with a private yes/no on the thread, every one is (never by value)
                return WITHHELD if (bool, True) in whole else x
            try:
                t = whole.get((x.__class__, x))
            except TypeError:  # unhashable: a record or a list
                t = next((t for v, t in records if x.__class__ is v.__class__ and x == v), None)
            if t is not None:
                return t
            if isinstance(x, str):
                return _written_over(x, pattern, forms)
            if isinstance(x, (int, float, Decimal)):  # a number validated from a handle's text: "4817" paid as 4817
                try:
                    t = forms.get(str(x))
                except ValueError:  # an int past Python's digit limit: no handle's text is that long
                    t = None
                if t is not None:
                    return t
            if isinstance(x, dict):
                return {walk(k): walk(v) for k, v in x.items()}
            if isinstance(x, (list, tuple)):
                return [walk(v) for v in x]
            return x

        return walk(value)

    def _telling(self, thread_id: str) -> tuple[dict[Any, str], list[tuple[Any, str]], re.Pattern[str], dict[str, str]] | None:
        """What `withheld` looks for on a thread, worked out once per handle count."""
        with self._lock:
            order = list(self._order.get(thread_id, ()))
            kept = self._tellings.get(thread_id)
        if not order:
            return None
        if kept is not None and kept[0] == len(order) and kept[1] is order[-1]:
            return kept[2]
        whole: dict[Any, str] = {}
        records: list[tuple[Any, str]] = []
        forms: dict[str, str] = {}
        keyed: set[str] = set()  # forms of a record's keys, not of any value
        for h in order:
            if h.value is None:  # no value: like every null a guard writes, nothing to withhold
                continue
            if h.value.__class__ is bool:  # one of two: told by every yes and no alike, never by value
                whole[(bool, True)] = WITHHELD
                for f in ("True", "False", "true", "false"):
                    forms[f] = WITHHELD
                continue
            try:
                whole.setdefault((h.value.__class__, h.value), h.token)
            except TypeError:
                records.append((h.value, h.token))
            for v, key in [*((v, False) for v in [h.value, *_parts(h.value)]), *((k, True) for k in _keys(h.value))]:
                if v is None or v.__class__ is bool:
                    continue
                text = _value_text(v)
                written = [text, repr(text)[1:-1], json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]] \
                    if isinstance(v, str) else [text]
                for f in [*written, *_as_numbers(v)]:
                    if f.strip():
                        forms.setdefault(f, h.token)
                        if key and forms[f] == h.token:
                            keyed.add(f)
                        elif not key:
                            keyed.discard(f)
        if not forms and not whole and not records:
            return None
        # longest first: a value holding another is replaced whole
        # found at every place one begins (a lookahead), so that values overlapping in a text are all covered
        # a number, any text shorter than _SHORT and a record's key, only where it stands whole: a
        # one-letter value ("S") found inside a guard's own words would tell which letter it is, and a
        # field name ("amount") is also a guard's own word
        pattern = re.compile("(?=(" + "|".join(
            rf"(?<![\w.]){re.escape(f)}(?!\w|\.[0-9])" if _NUMBER.fullmatch(f) else
            rf"(?<!\w){re.escape(f)}(?!\w)" if len(f) < _SHORT or f in keyed else re.escape(f)
            for f in sorted(forms, key=len, reverse=True)) + "))" if forms else "(?!)")
        told = (whole, records, pattern, forms)
        with self._lock:
            if thread_id in self._by_thread:  # not forgotten meanwhile
                self._tellings[thread_id] = (len(order), order[-1], told)
        return told

    def __len__(self) -> int:
        return len(self._by_token)


_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")

_SHORT = 4
"""Text values shorter than this are withheld only where they stand whole (`HandleStore.withheld`)."""

WITHHELD = "‹withheld›"
"""What `HandleStore.withheld` writes for a value it cannot write as one handle (a private yes/no)."""


def _as_numbers(value: Any) -> list[str]:
    """How a value that reads as a number prints once a tool's schema reads it as one: an argument
    validated on the value behind its handle (`Proposal.by_value`) reaches the guards as the schema's
    number, not as the handle's text (an invoice's "4817" paid as `amount: float` is 4817.0, "04817" as
    `int` 4817, "4817.50" as `float` 4817.5, the JSON number 4817 as `float` 4817.0)."""
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 64 or not (text.lstrip("+-")[:1].isdigit() or text.lstrip("+-")[:1] == "."):
            return []
    elif not isinstance(value, (int, float, Decimal)):
        return []
    try:
        number = Decimal(text if isinstance(value, str) else str(value))  # past 4,300 digits an int has no text
    except (ArithmeticError, ValueError):  # no number (a date, an id with dashes)
        return []
    if not number.is_finite() or abs(number.adjusted()) > 64:
        return []
    forms = [str(number), str(float(number))]
    if number == number.to_integral_value():
        forms.append(str(int(number)))
    return forms


def _keys(value: Any) -> list[Any]:
    """The keys of the records inside a value (a handle of a record stands for them too: accounts keyed
    by their IBAN; the labelling reads keys as it reads values)."""
    if not isinstance(value, (dict, list, tuple)):
        return []
    out: list[Any] = []
    stack = [value]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            out.extend(x)
            stack.extend(v for v in x.values() if isinstance(v, (dict, list, tuple)))
        else:
            stack.extend(v for v in x if isinstance(v, (dict, list, tuple)))
    return out


def _parts(value: Any) -> list[Any]:
    """The scalar values inside a record or a list, in order (a handle of a record stands for each of
    them). Walked with a stack: a record may be nested as deep as the JSON decoder reads."""
    if not isinstance(value, (dict, list, tuple)):
        return []
    out: list[Any] = []
    stack = [iter(value.values() if isinstance(value, dict) else value)]
    while stack:
        for v in stack[-1]:
            if isinstance(v, (dict, list, tuple)):
                stack.append(iter(v.values() if isinstance(v, dict) else v))
                break
            out.append(v)
        else:
            stack.pop()
    return out


_VALUE_TEXT = json_text(ensure_ascii=False, default=repr)


def _given(value: Any) -> Any:
    """A handle's value as an argument gets it: each `Opaque` in it (a value JSON could not carry, as
    recorded) as its text, which is all the record keeps of it (a copy only where one is found)."""
    if value.__class__ is Opaque:
        return str(value)
    if value.__class__ is dict:
        if any(v.__class__ in (Opaque, dict, list) for v in value.values()):
            return {k: _given(v) for k, v in value.items()}
    elif value.__class__ is list:
        if any(v.__class__ in (Opaque, dict, list) for v in value):
            return [_given(v) for v in value]
    return value


def _value_text(value: Any) -> str:
    """A handle's value as it reads inside text: a record or a list as its JSON."""
    if isinstance(value, str):
        return value
    return _VALUE_TEXT(value) if isinstance(value, (dict, list, tuple)) else str(value)


def _marked(value: Any, out: list[str]) -> list[str]:
    """Every string in a value (dict keys too) that holds "«", in order, appended to `out`."""
    cls = value.__class__
    if cls is str or isinstance(value, str):
        if "«" in value:
            out.append(value)
    elif cls is dict or isinstance(value, dict):
        for k, v in value.items():
            if k.__class__ is not str or "«" in k:
                _marked(k, out)
            if v.__class__ is not str or "«" in v:
                _marked(v, out)
    elif cls is list or isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            if v.__class__ is not str or "«" in v:
                _marked(v, out)
    return out


_JSON_TEXT = json_text(ensure_ascii=False, separators=(",", ":"))
"""Non-ASCII kept, so a "«" in any string or key shows in the text."""


def has_marks(value: Any) -> bool:
    """Whether any string in a value (dict keys too) holds "«", the first character of every handle."""
    cls = value.__class__
    if cls is str:
        return "«" in value
    if cls is dict:  # arguments are mostly a flat dict of strings and numbers: read without encoding
        flat = _flat_marks(value)
        if flat is not None:
            return flat
    if cls is dict or cls is list:
        try:
            return "«" in _JSON_TEXT(value)  # one pass in C over plain JSON values
        except (TypeError, ValueError, RecursionError):
            pass  # a value JSON cannot hold (a set, a model): walk it
    return _has_marks(value)


def _flat_marks(args: dict[Any, Any]) -> bool | None:
    """`has_marks` of a dict whose keys are strings and whose values are strings, numbers, None or
    lists of strings; None for any other dict."""
    for k, v in args.items():
        c = v.__class__
        if c is str:
            if "«" in v:
                return True
        elif c is list:
            try:
                if "«" in " ".join(v):  # raises for any item that is no string
                    return True
            except TypeError:
                return None
        elif not (c is int or c is float or c is bool or v is None):
            return None
        if k.__class__ is not str:
            return None
        if "«" in k:
            return True
    return False


def _has_marks(value: Any) -> bool:
    cls = value.__class__
    if cls is str:
        return "«" in value
    if cls is dict:
        return any(_has_marks(k) or _has_marks(v) for k, v in value.items())
    if cls is list or cls is tuple:
        return any(_has_marks(v) for v in value)
    if isinstance(value, str):
        return "«" in value
    if isinstance(value, dict):
        return any(_has_marks(k) or _has_marks(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_has_marks(v) for v in value)
    return False


def _written_over(text: str, pattern: re.Pattern[str], forms: dict[str, str]) -> str:
    """`text` with each stretch that holds a value's form written as its token; values that overlap
    (``AB12`` and ``12CD`` in ``AB12CD``) make one stretch, written as both tokens, so that no part of
    either is left in clear; a form inside a stretch already covered adds nothing."""
    out: list[str] = []
    at = 0  # end of what is written
    end = -1  # end of the stretch being covered
    tokens: list[str] = []
    for m in pattern.finditer(text):
        found = m.group(1)
        start, stop = m.start(), m.start() + len(found)
        if start < end:  # within or over the stretch: it grows, and names this value too if it goes past it
            if stop > end:
                end = stop
                if forms[found] not in tokens:
                    tokens.append(forms[found])
            continue
        if tokens:
            out.append("".join(tokens))
            at = end
        out.append(text[at:start])
        tokens, end = [forms[found]], stop
    if not tokens:
        return text
    out.append("".join(tokens))
    out.append(text[end:])
    return "".join(out)
