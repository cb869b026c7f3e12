"""The privacy flow: labels every tool output, hides private values behind handles, labels every argument.

`PrivacyFlow` implements the kernel's `vfa.Flow` hooks. Provenance never depends on the model's honesty;
three mechanisms combine, each closing what the one before leaves open:

1. Handles (`observe`/`resolve`). Private fields a tool declares are shown to the model as handles and
   swapped back only at commit time, after the guard allowed the flow. The model never reads the value,
   so it cannot paraphrase, encode or summarise it: whatever carries a handle carries its label.
2. Value tracking (`label`). Private values the model must read (an email body) are indexed: an
   argument containing one of them (after case, spacing and punctuation are ignored) or six
   consecutive words of one inherits its label. It misses a paraphrase, a translation or an encoding
   (base64, spelled-out digits) of a value the model did read.
3. Context taint with trusted grounding (`label`). Once the model has read untrusted content, any
   argument value that appears in no user message and no trusted tool output is labelled untrusted:
   the model may have got it from the injection. An attacker's address, IBAN, amount or password then
   cannot become an authority argument however it was phrased. It cannot see an injection that only
   recombines values the user or a trusted tool supplied (pay a known payee an amount the user named).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import PUBLIC, USER, Label, Proposal, ToolSpec

from ._handles import HANDLE_RE, HandleStore
from ._privacy_decl import PrivacyPolicy, Source, principals, source_of

__all__ = ["Observation", "PrivacyFlow"]

MIN_TRACKED = 4
"""Private values shorter than this (letters and digits) are not tracked: they would match everywhere."""
SHINGLE = 6
"""Copying this many consecutive words of a private text carries its label."""

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.lower())


def _numbers(text: str) -> set[str]:
    return {_num(m) for m in _NUMBER.findall(text.replace(",", ""))}


def _num(text: str) -> str:
    try:
        x = float(text)
    except ValueError:
        return text
    return str(int(x)) if x == int(x) else repr(x)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return json.dumps(value, default=repr) if isinstance(value, (dict, list, tuple)) else str(value)


@dataclass
class Observation:
    """What one tool result showed the model, with the labels of its parts."""

    call_id: str
    tool: str
    label: Label = PUBLIC
    """Join of every part's label: the result as a whole."""
    tracked: list[tuple[str, Label]] = field(default_factory=list)
    """Normalised private values and their labels (value tracking)."""
    shingles: dict[str, Label] = field(default_factory=dict)
    """Six-word runs of private text and their labels."""
    trusted_text: str = ""
    """Normalised trusted content, "|"-separated: what grounds an authority argument."""
    trusted_parts: list[str] = field(default_factory=list)
    untrusted: Label | None = None
    """The label of the untrusted content it held, if any (trusted=False)."""
    keys: dict[tuple[str, str], Label] = field(default_factory=dict)
    """(kind, key) of each record it showed -> the record's label, for sinks that refer to records."""
    text: str = ""
    """What the model saw."""
    _words: frozenset[str] | None = None
    parts: set[Label] = field(default_factory=set)

    @property
    def trusted_words(self) -> frozenset[str]:
        """Words and numbers of the trusted content (computed on first use: most results never need it)."""
        if self._words is None:
            self._words = frozenset(w for t in self.trusted_parts for w in (*_words(t), *_numbers(t)))
        return self._words


class PrivacyFlow:
    """Information-flow hooks for a guard node: labels, handles, value tracking and context taint.

    Use `flow.guard()` for the matching guard: `Agent(model, tools, guards=[flow.guard()], flow=flow)`.

    Args:
        policy: the user's `PrivacyPolicy`.
        handles: show declared private fields as handles (True) or in clear, tracked by value (False:
            what an audit of an agent that ran without vfa sees).
        secret: the handle HMAC key (fixed when threads must survive a restart).
        journal: the agent's `EffectJournal`; the guard reads a person's approvals from it.
    """

    def __init__(self, policy: PrivacyPolicy | None = None, *, handles: bool = True, secret: bytes | None = None,
                 journal: Any = None) -> None:
        self.policy = policy or PrivacyPolicy()
        self.handles = handles
        self.store = HandleStore(secret)
        self.journal = journal
        self._obs: dict[tuple[str, str], Observation] = {}
        self._thread_calls: dict[str, list[str]] = {}
        self._grants: dict[frozenset[str], frozenset[str]] = {}
        self._leaf_cache: dict[Any, tuple[Label, Label | None, bool]] = {}
        self.relevant: dict[str, frozenset[str] | None] | None = None
        """Tool -> the arguments a privacy rule reads (None: all); set by the guard when the agent compiles.
        Other arguments are left unlabelled (public): no rule looks at them."""
        self._lock = threading.Lock()

    def guard(self, **kwargs: Any) -> Any:
        """The privacy guard that reads this flow's labels."""
        from ._privacy import PrivacyGuard

        return PrivacyGuard(self, **kwargs)

    # -- Flow hooks ------------------------------------------------------------------------------

    def label(self, call: Mapping[str, Any], state: Any, thread_id: str) -> dict[str, Label]:
        """Labels of a proposed call's arguments (the kernel sets them as `Proposal.labels`)."""
        messages = _messages(state)
        seen = None if messages is None else {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
        args = call.get("args") or {}
        wanted = self.relevant.get(str(call.get("name"))) if self.relevant is not None else None
        if wanted is not None:
            args = {k: v for k, v in args.items() if k in wanted}
            if not args:
                return {}
        users = [] if messages is None else [_text(m.content) for m in messages if isinstance(m, HumanMessage)]
        return self.label_args(args, thread_id, users, seen)

    def resolve(self, proposal: Proposal) -> dict[str, Any]:
        """The arguments the effect really receives: handles swapped for their values (after the guards)."""
        return self.store.resolve(proposal.args, proposal.thread_id)

    def observe(self, proposal: Proposal, spec: ToolSpec | None, result: Any) -> str:
        """Label a tool result, put handles in place of its private values, and return what the model sees."""
        key = (proposal.thread_id, proposal.call_id)
        with self._lock:
            cached = self._obs.get(key)
        if cached is not None:  # a replayed node: the same text as the first time
            return cached.text
        obs = self.record(proposal.thread_id, proposal.call_id, proposal.tool,
                          source_of(spec.meta) if spec is not None else None, result)
        return obs.text

    # -- labelling a result ----------------------------------------------------------------------

    def record(self, thread_id: str, call_id: str, tool: str, decl: Source | None, result: Any) -> Observation:
        """Label one tool result and remember it for the thread; returns the observation."""
        obs = Observation(call_id=call_id, tool=tool)
        trusted: list[str] = []
        result = self._rehandle(result, thread_id, obs)
        if decl is None:
            lbl = Label(sources=frozenset({f"tool:{tool}"}), trusted=self.policy.undeclared_output == "trusted")
            shown = result
            (trusted if lbl.trusted else []).extend(_all_strings(result))
            if not lbl.trusted:
                obs.untrusted = lbl
            obs.label = obs.label.join(lbl)
        else:
            shown = self._walk(result, decl, thread_id, call_id, tool, "", obs, trusted, None)
        obs.label = Label.join_all((obs.label, *obs.parts))
        obs.parts = set()
        obs.text = shown if isinstance(shown, str) else json.dumps(shown, default=repr, ensure_ascii=False)
        obs.trusted_text = "|".join(_norm(t) for t in trusted)
        obs.trusted_parts = trusted
        with self._lock:
            self._obs[(thread_id, call_id)] = obs
            self._thread_calls.setdefault(thread_id, []).append(call_id)
        return obs

    def _walk(self, node: Any, decl: Source, thread_id: str, call_id: str, tool: str, path: str,
              obs: Observation, trusted: list[str], record: tuple[Label, frozenset[str]] | None) -> Any:
        kind = decl.kind or tool
        if isinstance(node, list):
            return [self._walk(v, decl, thread_id, call_id, tool, f"{path}[{i}]", obs, trusted, record)
                    for i, v in enumerate(node)]
        if not isinstance(node, dict):
            name = re.sub(r"(\[\d+\])+$", "", path.rsplit(".", 1)[-1]) if "." in path else ""
            return self._leaf(node, name, decl, thread_id, call_id, tool, path, obs, trusted, record, kind)
        if any(f in node for f in (*decl.private, *decl.readers_from)) or (decl.key and decl.key in node):
            record = self._record_label(node, decl, tool, kind)
            if decl.key and decl.key in node:
                key = (kind, str(node[decl.key]))
                obs.keys[key] = obs.keys.get(key, PUBLIC).join(record[0])
        return {k: self._walk(v, decl, thread_id, call_id, tool, f"{path}.{k}", obs, trusted, record)
                for k, v in node.items()}

    def _record_label(self, node: Mapping[str, Any], decl: Source, tool: str, kind: str) -> tuple[Label, frozenset[str]]:
        sources = {f"tool:{tool}"}
        if decl.key and decl.key in node:
            sources.add(f"{kind}:{node[decl.key]}")
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

    def _leaf(self, value: Any, name: str, decl: Source, thread_id: str, call_id: str, tool: str, path: str,
              obs: Observation, trusted: list[str], record: tuple[Label, frozenset[str]] | None, kind: str) -> Any:
        if isinstance(value, str) and "«" in value and HANDLE_RE.search(value):
            return value  # already a handle (re-handled input): its label was joined by _rehandle
        key = (id(decl), tool, kind, name, record)
        cached = self._leaf_cache.get(key)
        if cached is None:
            cached = self._leaf_cache[key] = self._leaf_label_of(name, decl, tool, kind, record)
            if len(self._leaf_cache) > 4096:
                self._leaf_cache.clear()
        lbl, taint, private = cached
        obs.parts.add(lbl)
        if taint is not None:  # the taint carries where the content came from, not who may read it
            obs.untrusted = taint if obs.untrusted is None else obs.untrusted.join(taint)
        elif value is not None:
            trusted.append(_text(value))
        if private and value is not None:
            self._track(_text(value), lbl, obs)
            if self.handles and decl.is_handled(name):
                return self.store.mint(thread_id, call_id, path, name or kind, value, lbl, f"{tool}#{call_id}:{path}")
        return value

    def _leaf_label_of(self, name: str, decl: Source, tool: str, kind: str,
                       record: tuple[Label, frozenset[str]] | None) -> tuple[Label, Label | None, bool]:
        base, tags = record if record is not None else (Label(readers=frozenset(self.policy.user),
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

    def _track(self, text: str, lbl: Label, obs: Observation) -> None:
        n = _norm(text)
        if len(n) >= MIN_TRACKED:
            obs.tracked.append((n, lbl))
        words = _words(text)
        for i in range(len(words) - SHINGLE + 1):
            run = " ".join(words[i:i + SHINGLE])
            obs.shingles[run] = obs.shingles.get(run, PUBLIC).join(lbl)

    def _rehandle(self, result: Any, thread_id: str, obs: Observation) -> Any:
        """Put handles back where a tool echoed a value it received through one (no dereferencing)."""
        known = [h for h in self.store.of_thread(thread_id) if len(_text(h.value)) >= 3]
        if not known:
            return result

        def swap(node: Any) -> Any:
            if isinstance(node, str):
                for h in known:
                    if _text(h.value) in node:
                        node = node.replace(_text(h.value), h.token)
                        obs.label = obs.label.join(h.label)
                return node
            if isinstance(node, (int, float)) and not isinstance(node, bool):
                for h in known:
                    if h.value == node:
                        obs.label = obs.label.join(h.label)
                        return h.token
                return node
            if isinstance(node, dict):
                return {k: swap(v) for k, v in node.items()}
            if isinstance(node, list):
                return [swap(v) for v in node]
            return node

        return swap(result)

    # -- labelling arguments ---------------------------------------------------------------------

    def seen(self, thread_id: str, calls: set[str] | None = None) -> list[Observation]:
        """The thread's observations, oldest first; only those whose call ids are in `calls` if given."""
        with self._lock:
            ids = list(self._thread_calls.get(thread_id, ()))
            return [self._obs[(thread_id, c)] for c in ids if calls is None or c in calls]

    def label_args(self, args: Mapping[str, Any], thread_id: str, user_texts: Iterable[str] = (),
                   calls: set[str] | None = None) -> dict[str, Label]:
        """Label each argument from what the model saw on this thread (see the module docstring)."""
        seen = self.seen(thread_id, calls)
        users = [_norm(t) for t in user_texts]
        user_words = frozenset(w for t in user_texts for w in (*_words(t), *_numbers(t)))
        taint = Label.join_all(o.untrusted for o in seen if o.untrusted is not None)
        tainted = any(o.untrusted is not None for o in seen)
        out: dict[str, Label] = {}
        for name, value in args.items():
            out[name] = Label.join_all(self._leaf_label(leaf, thread_id, seen, users, user_words, taint if tainted else None)
                                       for leaf in _leaves(value))
        return out

    def _leaf_label(self, leaf: Any, thread_id: str, seen: list[Observation], users: list[str],
                    user_words: frozenset[str], taint: Label | None) -> Label:
        text = _text(leaf)
        out = PUBLIC
        for m in HANDLE_RE.finditer(text):
            h = self.store.get(m.group(0), thread_id)
            out = out.join(h.label if h is not None else Label(
                readers=frozenset(), sources=frozenset({f"forged-handle:{m.group(0)}"}), trusted=False))
        rest = HANDLE_RE.sub(" ", text)
        n = _norm(rest)
        if not n:
            return out
        words = _words(rest)
        runs = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
        for o in seen:
            for value, lbl in o.tracked:
                if value in n:
                    out = out.join(lbl)
            for run in runs & o.shingles.keys():
                out = out.join(o.shingles[run])
        short = len(n) < MIN_TRACKED or isinstance(leaf, (int, float))
        key = _num(text) if isinstance(leaf, (int, float)) else n
        in_user = (key in user_words) if short else any(n in u for u in users)
        if in_user or text.strip().lower() in self.policy.user:  # the user's own address is the user's word
            return out.join(USER)
        grounded = any((key in o.trusted_words) if short else (n in o.trusted_text) for o in seen)
        if not grounded and taint is not None:
            out = out.join(taint)
        return out

    def key_label(self, thread_id: str, kind: str, key: Any, calls: set[str] | None = None) -> Label | None:
        """The label of a record (kind, key) the model saw on this thread, or None if it never saw it."""
        found = None
        for o in self.seen(thread_id, calls):
            lbl = o.keys.get((kind, str(key)))
            if lbl is not None:
                found = lbl if found is None else found.join(lbl)
        return found

    def unknown_handles(self, args: Any, thread_id: str) -> list[str]:
        """Handle-shaped tokens in the arguments that this thread never minted (forged or foreign)."""
        return [t for t in self.store.tokens_in(args) if self.store.get(t, thread_id) is None]


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (k, *_leaves(v))]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [x for v in value for x in _leaves(v)]
    return [value]


def _all_strings(value: Any) -> list[str]:
    return [_text(v) for v in _leaves(value) if v is not None]


def _messages(state: Any) -> list[Any] | None:
    if isinstance(state, Mapping):
        msgs = state.get("messages")
        return list(msgs) if msgs is not None else None
    return None
