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
import threading
import uuid
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import PUBLIC, USER, Label, Proposal, ToolSpec
from vfa._jsontext import json_text

from ._forms import (
    _NOT_ALNUM,
    _NOT_DIGIT,
    MIN_DIGITS,
    MIN_TRACKED,
    SHINGLE,
    _all_strings,
    _digits_of,
    _folded_words,
    _leaves,
    _norm,
    _norm_of,
    _num,
    _phrase,
    _spelling,
    _text,
    _track_forms,
    _users_forms,
    _value_form,
    _word_norms,
    _words,
    _written,
)
from ._handles import HANDLE_RE, HandleError, HandleStore, has_marks
from ._index import _EMPTY_INDEX, _Index, _Needles
from ._joins import _MAX_VALUES, _digit_label, _orders, _Places, _spans, _text_label, _TooMany
from ._observation import _NO_KEYS, Observation, _join, _join_all, _join_many, _readable_by, _tainted, _vouched
from ._privacy_decl import PrivacyPolicy, Source, principals, source_of
from ._walk import _blob_source, _error_source, _is_text_blocks, _Record, _Walk, _WalkContext

__all__ = ["Observation", "PrivacyFlow"]

_SHOWN = json_text(ensure_ascii=False, default=repr)
"""What `json.dumps(value, default=repr, ensure_ascii=False)` uses, built once: the text the model sees."""
_STRICT = json_text(ensure_ascii=False)
"""The same, for JSON values only (anything else raises): the text that keys a shared observation."""
_MEMO = 1024
"""Observations of this many distinct results are kept for sharing (`PrivacyFlow._memo_key`)."""
_MEMO_TEXT = 1 << 15
"""Results whose text is longer than this are labelled afresh each time, never kept."""


MIN_NORMED = 6
"""Handle values of at least this many letters and digits are found in a result in any spacing."""

_RECENT = 64
"""Message scans (and call-set indexes) are kept for this many most recently active threads."""


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
