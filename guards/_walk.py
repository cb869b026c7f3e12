"""Labelling one declared tool result, field by field (`_Walk`): which fields are private, whose they are,
which are handled and which tracked."""

from __future__ import annotations

import json
import re

from collections.abc import Callable
from functools import lru_cache
from itertools import compress
from typing import TYPE_CHECKING, Any

from vfa import PUBLIC, Label

from ._forms import _leaves, _text
from ._handles import HANDLE_RE
from ._observation import _NO_KEYS, Observation, _join, _join_many, _read
from ._privacy_decl import Source

if TYPE_CHECKING:
    from ._flow import PrivacyFlow


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


_BLOCK_TYPES = frozenset({
    "text", "image", "image_url", "audio", "input_audio", "video", "file", "document", "resource", "resource_link",
    "json", "reasoning", "thinking", "redacted_thinking", "tool_use", "tool_call", "tool_result", "citation",
    "non_standard", "server_tool_call", "server_tool_result"})
"""The `type`s of message content blocks (LangChain's, MCP's and the model providers')."""


def _is_blocks(value: Any) -> bool:
    """Whether a value is a list of message content blocks of any kind (text, images, reasoning...)."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(b, dict) and b.get("type") in _BLOCK_TYPES for b in value)


_BLOBS: dict[int, tuple[Source, Source]] = {}


def _blob_source(decl: Source) -> Source:
    """How a text is labelled when its tool declares record fields: as a whole, private to the user if
    any field is private, untrusted if any is; shown as one handle when it is records written by their
    repr (`Source.records`: a ToolNode's text of a model) and a private field is handled."""
    hit = _BLOBS.get(id(decl))
    if hit is None or hit[0] is not decl:
        handled = decl.records and any(decl.is_handled(f) for f in decl.private)
        blob = Source(private=frozenset({""}) if decl.private else frozenset(),
                      untrusted=True if decl.untrusted else frozenset(), handle=handled, kind=decl.kind,
                      failure=decl.failure)
        if len(_BLOBS) > 1024:  # declarations made anew (an error source past its cache) must not pile up
            _BLOBS.clear()
        hit = _BLOBS[id(decl)] = (decl, blob)
    return hit[1]


@lru_cache(maxsize=256)
def _error_source(kind: str) -> Source:
    """How a tool's error text is labelled: the whole text private and untrusted, never handled."""
    return Source(private=frozenset({""}), untrusted=True, handle=False, kind=kind, failure=True)


@lru_cache(maxsize=1024)
def _field_name(key: str) -> str:
    """The field name a result path ending in `.key` (and any list indices) gives its leaves."""
    name = key.rsplit(".", 1)[-1]
    # the trailing "[0][1]" dropped from the right (a pattern tried at every "[" of a key of thousands of
    # them would be quadratic: the key of a result is its author's)
    while name.endswith("]"):
        i = name.rfind("[")
        if i < 0 or not name[i + 1:-1].isdecimal():  # as `\d+` reads them
            break
        name = name[:i]
    return name


_STEP_MARKS = re.compile(r'[.\[\]"]')
_STEPS: dict[str, str] = {}
"""String dict keys -> how a result path writes them (`_step`), for the result walk."""


def _step(k: Any) -> str:
    """How a result path writes the step to a dict key: `.key`, or the key quoted in brackets where it holds
    what separates steps or is no text, so that one path names one leaf (a key "profile.ssn" is no step
    profile then ssn: the two would share one handle)."""
    if k.__class__ is str:
        step = _STEPS.get(k)
        if step is None:
            step = f".{k}" if _STEP_MARKS.search(k) is None else f"[{json.dumps(k)}]"
            if len(_STEPS) < 4096:
                _STEPS[k] = step
        return step
    return f"[{json.dumps(k)}]" if isinstance(k, str) else f"[{k!r}]"


_FIELD_NAMES: dict[str, str] = {}
"""String dict keys -> their field names (`_field_name`), for the result walk."""


def forget_steps() -> None:
    """Empty the caches of the result walk's steps (a thread erased, `PrivacyFlow.forget`: they are keyed by its
    results' dict keys, which may be values: a contact list keyed by address)."""
    _STEPS.clear()
    _FIELD_NAMES.clear()
    _field_name.cache_clear()


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


class _Record:
    """A record's label, tags and the tags that may vouch for it, with the labels of its fields (cached by
    field name)."""

    __slots__ = ("label", "tags", "vouching", "leaves", "plans")

    def __init__(self, label: Label, tags: frozenset[str], vouching: frozenset[str]) -> None:
        self.label, self.tags, self.vouching = label, tags, vouching
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

    __slots__ = ("decl", "tool", "kind", "watched", "key_field", "handled", "plans", "root", "opaque", "fields", "text",
                 "shaped")

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
        self.opaque = flow._entry_of("", _blob_source(decl), tool, self.kind, None)
        """What a value that is no JSON value (an object, shown by its repr) adds to its field's entry:
        its fields cannot be told apart, so it is private to the user if any field is private, and
        untrusted if any is."""
        self.shaped = decl.shaped
        """Every field's entry also carries `opaque` (records read from text anyone may have shaped)."""


_SCALARS = frozenset({str, int, float, bool, type(None)})
"""The classes of JSON's leaf values (checked first: the usual case)."""


def _opaque(v: Any) -> bool:
    """Whether a value is no JSON value (an object, shown to the model by its repr): not None, a string,
    a number or a subclass of one (a str enum, numpy's float64), nor a dict or a list."""
    return v.__class__ not in _SCALARS and not isinstance(v, (str, int, float, dict, list, tuple))


def _json_text(v: Any) -> bool:
    """Whether a string is JSON text of an object or an array (a payload held in one field): the model
    reads the records in it, which no field name of the result declares."""
    if not isinstance(v, str):
        return False
    t = v.strip()
    if not (t[:1] == "{" and t[-1:] == "}" or t[:1] == "[" and t[-1:] == "]"):
        return False
    try:
        return isinstance(json.loads(t), (dict, list))
    except (ValueError, RecursionError):
        return False


def _labelled_strings(value: Any, lbl: Label, nested: dict[int, Label], out: list[tuple[str, Label]]) -> None:
    """Append to `out` the strings `_all_strings(value)` gives, each with `lbl` joined with the labels `nested`
    holds (by `id`) for the records around it: each string once, however many private fields it is under."""
    if nested:
        inner = nested.get(id(value))
        if inner is not None:
            lbl = _join(lbl, inner)
    if isinstance(value, dict):
        for k, v in value.items():
            if k is not None:
                out.append((_text(k), lbl))
            _labelled_strings(v, lbl, nested, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            _labelled_strings(v, lbl, nested, out)
    else:
        out.extend((_text(x), lbl) for x in _leaves(value) if x is not None)


class _Walk:
    """One walk over one result (see `PrivacyFlow._walk`): the distinct labels of its leaves, their
    taints (by identity, joined once at the end) and its trusted leaves."""

    __slots__ = ("ctx", "flow", "thread_id", "call_id", "obs", "parts", "taints", "trusted", "paths", "handles", "taint",
                 "echo", "echoed_in", "nested")

    def __init__(self, ctx: _WalkContext, flow: PrivacyFlow, thread_id: str, call_id: str, obs: Observation,
                 trusted: list[Any], mint: bool = True, taint: Label | None = None,
                 echo: Callable[[Label, Any], Label] | None = None) -> None:
        self.ctx, self.flow, self.thread_id, self.call_id, self.obs = ctx, flow, thread_id, call_id, obs
        self.taint = taint
        """The taint of the call's untrusted inputs: a handle minted from a result computed from them carries it."""
        self.echo = echo
        """For a call given private arguments in clear: a minted handle's label with what its value shows
        (`PrivacyFlow._echo`), None otherwise."""
        self.echoed_in: Label | None = None
        """The join of the labels `echo` narrowed, in the record being walked: the record holds them too."""
        self.parts: dict[int, Label] = {}
        self.taints: dict[int, Label] = {}
        self.trusted = trusted
        self.handles = flow.handles and mint
        self.paths = self.handles and ctx.handled
        self.nested: dict[int, Label] | None = None
        """Inside a private field's record (`under`): the records of private fields within it (by `id`) ->
        their labels, which the outermost field tracks their strings with, once (each level tracking all
        below it was quadratic in the depth: a private field nested in itself, red team 331)."""

    def plan_of(self, keys: tuple[Any, ...], record: _Record | None) -> _Plan:
        plans = record.plans if record is not None else self.ctx.plans
        plan = plans.get(keys)
        if plan is None:
            ctx = self.ctx
            entries = tuple(self.flow._entry_of(_name_of(k), ctx.decl, ctx.tool, ctx.kind, record) for k in keys)
            if ctx.shaped:  # whoever wrote the text chose the field names: each is also what the whole is
                entries = tuple(self.opaque(e) for e in entries)
            plan = _Plan(entries)
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
        ctx = self.ctx
        # the very handle this leaf is shown as (an audit of the messages, which hold handles, never their
        # values): it stands for a value the trace does not hold, and its text (a digest) is none of it
        own = self.handles and e[4] and v.__class__ is str and "«" in v and v == self.flow.store.token(
            self.thread_id, self.call_id, path, e[0] or ctx.kind)
        if not own:
            self.flow._track(text, e[1], self.obs)
        if _opaque(v) and repr(v) != text:  # the model is shown its repr (an enum's, a date's differs)
            self.flow._track(repr(v), e[1], self.obs)
        if self.handles and e[4]:
            lbl = e[1]
            if isinstance(v, str) and "«" in v:  # a value holding minted handles: the handle stands for it resolved
                store = self.flow.store
                # so it carries their labels too: a token written into the world (in pieces, never
                # resolved there) and read back under a field of wider readers stays its value's
                held = [h.label for m in HANDLE_RE.finditer(v) if (h := store.get(m.group(0), self.thread_id)) is not None]
                if held:
                    lbl = _join_many((lbl, *held))
                    self.parts[id(lbl)] = lbl
                v = store.resolve(v, self.thread_id)
            if self.taint is not None:  # the value stands behind its handle, which no taint of the thread reaches
                lbl = _join(lbl, self.taint)
            if self.echo is not None:  # nor does value tracking: a private argument echoed stays its own
                echoed = self.echo(lbl, v)
                if echoed is not lbl:  # and so does the record holding it (a sink naming it by its key sends it)
                    self.echoed_in = echoed if self.echoed_in is None else _join(self.echoed_in, echoed)
                lbl = echoed
            return self.flow.store.mint(self.thread_id, self.call_id, path, e[0] or ctx.kind, v, lbl,
                                        f"{ctx.tool}#{self.call_id}:{path}")
        if self.flow.reads_taint:  # shown in clear: the model read it
            _read(self.obs, e[1], (v,))
        return v

    def under(self, v: Any, e: tuple[Any, ...], path: str, record: _Record | None) -> Any:
        """A record (or a list) held by a private or untrusted field: labelled by its own field names as
        any record is, and every value and key in it also as the field is: private with the field's
        readers, untrusted (grounding nothing) if the field is. A handled field shows it as one handle,
        labelled with every label inside it."""
        lbl, taint = e[1], e[2]
        if taint is not None:
            self.taints[id(taint)] = taint
        if self.handles and e[4]:
            inside = _Walk(self.ctx, self.flow, self.thread_id, self.call_id, self.obs, [], mint=False)
            inside.walk(v, "", record, e)
            self.taints.update(inside.taints)
            # its readers and trust are those of everything inside it; its sources the field's own: the
            # keys inside a record (diagnoses, payees) name its inner sources, and a denial names sources
            joined = _join_many((lbl, *inside.parts.values()))
            lbl = Label(readers=joined.readers, sources=lbl.sources, trusted=joined.trusted)
            self.parts[id(lbl)] = lbl
            return self.private_leaf(v, (e[0], lbl, taint, True, True), path)
        self.parts[id(lbl)] = lbl
        trusted = self.trusted
        if taint is not None:
            self.trusted = []  # nothing under an untrusted field grounds anything
        nested = self.nested
        own = e[3] and nested is None  # the outermost private field: it tracks every string below it
        if own:
            self.nested = {}
        elif e[3]:  # within another's record: tracked there, with this label joined
            old = nested.get(id(v))
            nested[id(v)] = lbl if old is None else _join(old, lbl)
        try:
            shown = self.walk(v, path, record, e)
        finally:
            self.trusted = trusted
            if own:
                nested, self.nested = self.nested, None
        if own:
            strings: list[tuple[str, Label]] = []
            _labelled_strings(v, lbl, nested, strings)
            track, obs = self.flow._track, self.obs
            for text, label in strings:
                track(text, label, obs)
            if self.flow.reads_taint:  # a private record or list shown in clear: the model read all of it
                read: dict[int, tuple[Label, list[str]]] = {}
                for text, label in strings:
                    read.setdefault(id(label), (label, []))[1].append(text)
                for label, texts in read.values():
                    _read(obs, label, texts)
        return shown

    def walk(self, v: Any, path: str, record: _Record | None, e: tuple[Any, ...]) -> Any:
        """A record or a list, walked as its kind is."""
        return self.walk_dict(v, path, record) if isinstance(v, dict) else self.walk_list(v, path, record, e)

    def opaque(self, e: tuple[Any, ...]) -> tuple[Any, ...]:
        """The entry of a value that is no JSON value under a field of entry `e` (see `_WalkContext.opaque`)."""
        o = self.ctx.opaque
        taint = e[2] if o[2] is None else o[2] if e[2] is None else _join(e[2], o[2])
        return e[0], _join(e[1], o[1]), taint, e[3] or o[3], e[4]

    def walk_list(self, node: list[Any], path: str, record: _Record | None, e: tuple[Any, ...]) -> list[Any]:
        if not e[0] and self.ctx.fields:
            # values outside any record where records were declared (a bare list, rows of values): no
            # field names them, so they are labelled as the whole result would be (`_WalkContext.opaque`)
            e = self.opaque(e)
        out: list[Any] = []
        append = out.append
        lbl, taint, private = e[1], e[2], e[3]
        paths, parts, taints = self.paths, self.parts, self.taints
        whole = bool(e[0]) and (private or taint is not None)  # a named private or untrusted field's list
        for i, v in enumerate(node):
            cls = v.__class__
            if whole and (cls is dict or (cls is not str and isinstance(v, dict))):
                append(self.under(v, e, f"{path}[{i}]", record))
            elif cls is dict:
                append(self.walk_dict(v, f"{path}[{i}]" if paths else "", record))
            elif cls is list:
                append(self.walk_list(v, f"{path}[{i}]" if paths else "", record, e))
            elif cls is not str and isinstance(v, dict):
                append(self.walk_dict(v, f"{path}[{i}]" if paths else "", record))
            elif cls is not str and isinstance(v, (list, tuple)):
                append(self.walk_list(v, f"{path}[{i}]" if paths else "", record, e))
            elif (cls is str or isinstance(v, str)) and "«" in v and self.echoed(v):
                append(v)  # nothing but handles this thread minted (re-handled input): their labels joined
            elif _opaque(v) or (self.ctx.fields and _json_text(v)):  # no JSON value, or JSON text: labelled as its whole text
                o = self.opaque(e)
                parts[id(o[1])] = o[1]
                if o[2] is not None:
                    taints[id(o[2])] = o[2]
                append(self.private_leaf(v, o, f"{path}[{i}]") if o[3] else v)
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
        key = None
        if keyed or not ctx.watched.isdisjoint(node):
            record = self.flow._record_of(node, ctx.decl, ctx.tool, ctx.kind)
            # a record in text anyone may have shaped names no record by its key: its readers and trust
            # come from fields its author chose, and a sink referring to that key would take them
            if keyed and not ctx.shaped:
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
        if ctx.shaped and ctx.opaque[3]:
            # its author chose the keys too: each is a value of the whole output, private as the whole is
            opaque, track, obs = ctx.opaque[1], self.flow._track, self.obs
            for k in keys:
                if k.__class__ is str:
                    track(k, opaque, obs)
            if self.flow.reads_taint:  # shown in clear: the model read them
                _read(obs, opaque, [k for k in keys if k.__class__ is str])
        plan = self.plan_of(keys, record)
        parts, taints = self.parts, self.taints
        if not (self.handles and plan.handled):
            # every field a string, none a handle: labels, taints and trusted parts as planned
            try:
                joined = "".join(values)
            except TypeError:
                joined = None
            if joined is not None and "«" not in joined and not (
                    ctx.fields and ("{" in joined or "[" in joined) and any(map(_json_text, values))):
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
                    if self.flow.reads_taint:  # shown in clear: the model read them
                        for i in plan.private:
                            _read(obs, entries[i][1], (values[i],))
                return node  # shown as it is: nothing in it changes
        paths = self.paths
        out = {}
        outer, self.echoed_in = self.echoed_in, None
        for k, v, e in zip(keys, values, plan.entries):
            cls = v.__class__
            if (e[3] or e[2] is not None) and (cls is dict or (cls is not str and isinstance(v, dict))):
                out[k] = self.under(v, e, path + _step(k), record)
            elif cls is dict:
                out[k] = self.walk_dict(v, path + _step(k) if paths else "", record)
            elif cls is list:
                out[k] = self.walk_list(v, path + _step(k) if paths else "", record, e)
            elif cls is not str and isinstance(v, dict):
                out[k] = self.walk_dict(v, path + _step(k) if paths else "", record)
            elif cls is not str and isinstance(v, (list, tuple)):
                out[k] = self.walk_list(v, path + _step(k) if paths else "", record, e)
            elif (cls is str or isinstance(v, str)) and "«" in v and self.echoed(v):
                out[k] = v  # nothing but handles this thread minted (re-handled input): their labels joined
            elif _opaque(v) or (ctx.fields and _json_text(v)):  # no JSON value, or JSON text: labelled as its whole text
                o = self.opaque(e)
                parts[id(o[1])] = o[1]
                if o[2] is not None:
                    taints[id(o[2])] = o[2]
                out[k] = self.private_leaf(v, o, path + _step(k)) if o[3] else v
            else:
                lbl, taint = e[1], e[2]
                parts[id(lbl)] = lbl
                if taint is not None:
                    taints[id(taint)] = taint
                elif v is not None and not (self.handles and e[4]):  # a handled value grounds nothing
                    self.trusted.append(v)
                out[k] = self.private_leaf(v, e, path + _step(k)) if e[3] and v is not None else v
        inner = self.echoed_in
        if inner is not None:  # a field echoed a private argument: the record is that argument's too
            if key is not None:
                keys_ = self.obs.keys
                keys_[key] = _join(keys_[key], inner)
            self.echoed_in = inner if outer is None else _join(outer, inner)
        else:
            self.echoed_in = outer
        return out
