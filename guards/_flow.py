"""The privacy flow: labels every tool output, hides private values behind handles, labels every argument.

`PrivacyFlow` implements the kernel's `vfa.Flow` hooks. Provenance never depends on the model's honesty;
three mechanisms combine, each closing what the one before leaves open, and a fourth may be added:

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
   subject, "1120" in a body), whichever arguments stand between the pieces and in whatever order
   the pieces are, cut in two or in three ("05" in a title, "078" in a day, "1120" in a description:
   `Cuts`, in time linear in the arguments). Ordinary numbers (years, amounts of fewer than six
   digits) are not tracked. Look-alike characters are folded first (`_fold`). It misses a paraphrase,
   a translation or an encoding (base64, spelled-out or reversed digits, letters for digits such as O
   for 0, arithmetic on them, look-alikes outside the folding table), a part of a token (its last
   four digits), a token cut into four or more pieces, or into three where the middle piece shares
   its argument with other letters or digits (other digits, for a digit token) or where the call has
   more than sixteen such arguments for one audience (`_THROUGH`), a private text cut into pieces
   smaller than a token, and a value cut over more than `DISCLOSURES` calls to one recipient (what
   a call sends a recipient is read after what earlier calls on the thread sent them: the privacy
   guard's `_across_calls`). Nor does it follow data through
   the world: what an effect stores comes back labelled by the declaration of the tool that reads it
   (a result showing a value of one of the thread's handles is hidden, but only on that thread).
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
4. Context taint of what was read (opt-in: `PrivacyPolicy(context_taint="private")`). Every private
   value the model was shown in clear (`Observation.read`) taints every argument it writes after with
   that value's readers, but the user's own words, whole trusted values and blanks, as 3 exempts
   them: a paraphrase, an encoding or a value computed from what it read reaches only those who may
   read all of it (what 2 misses), and so does all else it writes on the thread (the utility cost).

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

import json
import re
import threading
import uuid
import weakref
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from vfa import PUBLIC, USER, ConfigError, Label, PolicyError, Proposal, ToolSpec, VfaError

from ._forms import (_NOT_ALNUM, _NOT_DIGIT, MIN_DIGITS, NUMBER_MARK, SHINGLE, SPELLED_MARK, _digit_units, _escaped, _digits_of, _empties, _folded_words, _is_decimal, _leaves,
                     _grouped_in, _join_readings, _marks_spaced, _norm_of, _num, _spelling, _text, _typed_by_person, _users_forms, _value_form, _with_users,
                     _words, _written, _written_leaves, _written_out, _strings_of, _written_readings, text_ends)
from ._handles import HANDLE_RE, Handle, HandleError, HandleStore, _value_text, has_marks
from ._index import _EMPTY_INDEX, _SEARCH_BUDGET, _Index, _Needles
from ._joins import (_JOINED, _JOINED_NAMED, _MAX_VALUES, _UNCUT, _digit_label, _glued_label, _joined_size, _orders, _Places,
                     _runs_label, _spans, _text_label, _TooMany, _unit_cuts)
from ._observation import Observation, _join, _join_all, _join_each, _vouched
from ._privacy_decl import PUBLIC_SINK, PrivacyPolicy, Source, _lower, sink_of, source_of
from ._results import _Results
from ._threads import _NO_SCAN, _NO_USERS, _RECENT, _messages_in, _Scan, _Threads
from ._walk import _error_source, _Record, _WalkContext

if TYPE_CHECKING:  # imported where used (it imports this module)
    from ._privacy import PrivacyGuard

__all__ = ["Observation", "PrivacyFlow"]

_TOKEN = re.compile(r"(?<![^\s\"'`(),;:#=<>\[\]{}])[^\s\"'`(),;:#=<>\[\]{}]*[\d@][^\s\"'`(),;:#=<>\[\]{}]*")
"""A token of a denial's text with a digit or an "@" in it (an amount, an id, a date, an account, an
address): between white space, quotes, brackets and the punctuation that separates values or names
their kinds."""
_WITHHELD = "‹withheld›"
"""What a denial shows in place of a token with a digit or an "@" in it."""
_WITHHELD_RUN = re.compile(r"‹withheld›(?:[\s\"'`(),;:#=<>\[\]{}.+*/-]*‹withheld›)+")
"""Withheld tokens with nothing but separators between them: shown as one, so a denial tells neither
how many items a hidden list has nor into how many groups a hidden value is written (an IBAN in fours)."""


def _by_length(texts: Sequence[str]) -> dict[int, frozenset[str]]:
    """A call's argument texts as a tool may write them (stripped: a line appended), by their lengths (`_ends_in`)."""
    out: dict[int, set[str]] = {}
    for text in texts:
        text = text.strip()
        if text:
            out.setdefault(len(text), set()).add(text)
    return {n: frozenset(t) for n, t in out.items()}


def _held_texts(args: Mapping[str, Any]) -> list[str]:
    """The texts a call's arguments hold, as a tool may write them (numbers as their `str`): their values, never
    their names, nor the field names of an object the schema types (`_leaves`: no one writes them)."""
    return [t for v in args.values() for leaf in _leaves(v) for t in _strings_of(leaf)]


def _ends_in(value: Any, texts: Mapping[int, frozenset[str]]) -> list[tuple[str, str]]:
    """(a text of `value`, the rest of it) for each text of `value` that one of `texts` (a call's arguments, by
    their lengths) starts or ends, shorter than it: where the tool may have joined the argument to what it held
    (a draft appended to)."""
    out = []
    for leaf in ([value] if isinstance(value, str) else _strings_of(value)):
        leaf = leaf.strip()
        for n, these in texts.items():
            if n < len(leaf):
                if leaf[-n:] in these:
                    out.append((leaf, leaf[:-n]))
                if leaf[:n] in these:
                    out.append((leaf, leaf[n:]))
    return out


class PrivacyFlow(_Threads, _Results):
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
        if max_threads.__class__ is bool or not isinstance(max_threads, int) or max_threads < 1:
            # NaN passes `< 1` and fails at the first label, in `islice`; 1.5 is no count of threads
            raise ValueError(f"max_threads must be a whole number, at least 1, got {max_threads!r}")
        if policy is not None and not isinstance(policy, PrivacyPolicy):  # a user's address: use PrivacyPolicy.of
            raise TypeError(f"policy must be a PrivacyPolicy (PrivacyPolicy.of(...)), not {type(policy).__name__}")
        if not isinstance(handles, bool):  # "no" would read as true
            raise TypeError(f"handles must be True or False, not {handles!r:.60}")
        self.policy = policy or PrivacyPolicy()
        self.handles = handles
        self.reads_taint = self.policy.context_taint == "private"
        """Whether what the model read in clear of private values taints what it writes (`PrivacyPolicy.context_taint`)."""
        if secret is not None and not isinstance(secret, (bytes, bytearray)):
            raise TypeError(f"secret must be bytes (the handles' HMAC key), not {type(secret).__name__}")
        if secret is not None and not secret:  # a key read from a setting left unset: every handle one anyone computes
            raise ConfigError("secret is empty: give the handles' HMAC key (bytes), or None for a random one")
        self.store = HandleStore(secret)
        self.journal = journal
        if journal is not None:
            self._read_from(journal)
        self.max_threads = max_threads
        self._message_keys: tuple[str, ...] = ("messages",)
        """Where the guard nodes this flow serves keep their messages in the graph state."""
        self._bound: list[Callable[[], Mapping[str, ToolSpec] | None]] = []
        """The tool specs of the guard nodes this flow serves (`bind`), by name: weak references where the
        mapping takes one (a guard node's does), so agents built and dropped per request are not kept."""
        self._declarations: dict[str, tuple[Any, ...]] = {}
        """Tool name -> what the first tool bound under it declares (`_declared`), kept after its node is
        dropped: a thread that node ran is rebuilt by the name alone, so no other declaration may take it."""
        self._obs: dict[tuple[str, str], Observation] = {}
        self._thread_calls: dict[str, list[str]] = {}
        """Thread -> the call ids of its observations, oldest first; ordered by the thread's last result."""
        self._thread_seen: dict[str, set[str]] = {}
        self.private_keys: set[str] = set()
        """Record kinds whose key field is private: named in a `refers` argument only by a handle."""
        self._unrecorded: dict[str, set[str]] = {}
        """Thread -> call ids the model saw a result of that the journal has no record of (fail closed)."""
        self._blind: dict[str, set[str]] = {}
        """Thread -> the results it showed that this flow never labelled (`_Threads._blinded`)."""
        self._grants: dict[frozenset[str], frozenset[str]] = {}
        self._leaf_cache: dict[Any, tuple[Source, tuple[Label, Label | None, bool]]] = {}
        self._contexts: dict[tuple[int, str], _WalkContext] = {}
        self._records: dict[Any, tuple[Source, _Record]] = {}
        self._indexes: dict[str, tuple[list[str], _Index]] = {}
        """Thread -> (its call-id list when indexed, the index of all its observations): a thread dropped
        and begun again has a new list, so an index of the old one is never extended or served."""
        self._scans: dict[str, _Scan] = {}
        self._watched: dict[str, None] = {}
        """Threads whose messages this flow read, the most recently extended last (`max_threads` of them; the
        scans themselves are kept for 64): a summary on one was written from what the flow watched."""
        self._calls_index: dict[str, tuple[Any, list[str], int, _Index]] = {}
        self._memo: dict[tuple[int, bool, str], tuple[_WalkContext, Observation]] = {}
        self._handle_forms: dict[str, tuple[int, Any, tuple[_Needles, _Needles]]] = {}
        """Thread -> (its handle count, its last handle, the texts of its handle values, labelled, see `_values_of`)."""
        self._held: dict[str, int] = {}
        """Thread -> how many calls on it are running (`hold`): a thread is never dropped while held."""
        self._forgotten: set[str] = set()
        """Held threads `forget` was called for: dropped at their last `release`."""
        self._lock = threading.Lock()
        self._restoring = [threading.Lock() for _ in range(64)]
        """Held while a thread is rebuilt from the journal (`_rebuild`), the thread's by its hash."""
        self._rebuilding: set[str] = set()
        """Threads being rebuilt: a call labelled on one waits for the rebuild."""
        self._disclosures: dict[str, dict[str, tuple[ToolSpec, Mapping[str, Any]]]] = {}
        """Thread -> the calls that ran (or began to) on it and disclosed arguments, by call id (their tool,
        their arguments as written), the last `DISCLOSURES`: a value cut across calls to one recipient
        (`disclosures`)."""
        self._clean: dict[tuple[str, str], tuple[_Index, bool]] = {}
        """(thread, handle) -> (the index it was read against, whether its value holds no tracked value its
        handle's readers and trust do not already cover: `handles_read`)."""
        self._marks: dict[str, int] = {}
        """Thread -> entries other connections had written on it when it was last read whole
        (`EffectJournal.elsewhere`; 0, the usual case, is not kept)."""

    def __repr__(self) -> str:
        # settings and a count only: the policy's addresses and grants, the threads' ids, their values and
        # the secret stay out of logs
        return (f"PrivacyFlow(on_violation={self.policy.on_violation!r}, context_taint={self.policy.context_taint!r}, "
                f"handles={self.handles!r}, threads={len(self._thread_calls)}, journal={self.journal!r})")

    def __reduce_ex__(self, protocol: Any) -> Any:
        # a flow is one user's threads, handles and handle secret: a shallow copy would share them all under
        # a policy of its own (one user's results labelling another's threads), and a deep copy or a pickle
        # would carry the secret and the values behind the handles; `copy` and `pickle` both end here
        raise TypeError("a PrivacyFlow cannot be copied or pickled: it holds one user's threads, handles and "
                        "handle secret; build another for another user or process "
                        "(PrivacyFlow(policy, secret=..., journal=...))")

    def guard(self, **kwargs: Any) -> PrivacyGuard:
        """The privacy guard that reads this flow's labels."""
        from ._privacy import PrivacyGuard

        return PrivacyGuard(self, **kwargs)

    def lint(self, guards: Sequence[Any], specs: Mapping[str, ToolSpec]) -> None:
        """Raise `PolicyError` for tools that no privacy guard of this flow judges: the model's handles
        would be resolved for them unchecked (to any recipient), and no label would ever deny."""
        def judges(g: Any, tool: str) -> bool:
            return (getattr(g, "flow", None) is self and getattr(g, "reads_handles", False)
                    and (getattr(g, "tools", None) is None or tool in g.tools))

        unjudged = sorted(name for name, spec in specs.items() if not any(judges(g, name) for g in (*guards, *spec.guards)))
        if unjudged:
            raise PolicyError(f"no privacy guard of this flow judges the calls of {', '.join(map(repr, unjudged[:5]))}: "
                              "the handles the model passes them would be resolved unchecked; add the flow's guard: "
                              "`Agent(model, tools, guards=[flow.guard()], flow=flow)`")
        for name in specs:
            self._spec(name)  # two tools of one name that declare different things: refused now, not at a restore
        self._declare(specs)  # a gate's tools are registered after its node is bound

    def labels_output(self, spec: ToolSpec) -> bool:
        """Whether this flow labels a tool's results (any field private or untrusted, or undeclared and
        the policy does not trust undeclared outputs): such a result must reach the model through it."""
        decl = source_of(spec.meta)
        if decl is None:
            return self.policy.undeclared_output != "trusted"
        return bool(decl.private) or bool(decl.untrusted)

    # -- Flow hooks ------------------------------------------------------------------------------

    def label(self, call: Mapping[str, Any], state: Any, thread_id: str) -> dict[str, Label]:
        """Labels of a proposed call's arguments (the kernel sets them as `Proposal.labels`); what a person
        typed into an edit of the call (its values the model's call, "edited_from", does not hold) is the
        user's word, as a message of theirs is.

        A call made from inside another call's effect (an agent a tool runs: the kernel gives "within",
        the caller's conversation and the join of its arguments' labels) is made from those arguments:
        what the user or a trusted tool did not give whole carries their labels (as what a thread read
        taints what the model writes), and the user's words are those of the caller's conversation, never
        the human messages of the inner agent's state (the caller's model wrote them)."""
        within = call.get("within")
        if within is None:
            return self._label(call, state, thread_id, None)
        messages = _messages_in(within.get("state"), self._message_keys)
        users = _NO_SCAN.extended(messages).users if messages is not None else _NO_USERS
        return self._label(call, state, thread_id, users, within.get("label") or PUBLIC)

    def _label(self, call: Mapping[str, Any], state: Any, thread_id: str,
               users: tuple[str, frozenset[str]] | None = None, made_from: Label | None = None) -> dict[str, Label]:
        """`label`, the user's words `users` when given (else the state's), every value the user did not
        give or a trusted tool did not give whole tainted with `made_from` as with what the thread read."""
        args = call.get("args") or {}  # every argument: the guard reads some, a result computed from any carries its trust
        raw = call.get("raw_args")
        typed = _typed_by_person(raw, call["edited_from"]) if "edited_from" in call else ()
        watched = thread_id in self._watched  # read before: a summary written since covers what it read
        scan = self.scan(state, thread_id)
        if scan is None:
            given = _with_users(users, typed) if users is not None else _users_forms(typed)
            # (before anything is recorded live: a call without arguments too, or the restore would be skipped)
            if thread_id not in self._thread_seen and thread_id not in self._unrecorded:
                moved = not self._unheard(thread_id)  # holding nothing of the thread: take all the journal has
            else:
                moved = self._moved(thread_id)
            if moved or thread_id in self._rebuilding:
                self._rebuild(thread_id, None, whole=moved)
            if not args:
                return {}
            unseen = self._blind.get(thread_id)
            if unseen:  # (as below)
                blind = self._unobserved(unseen)
                return {name: _join(lbl, blind) for name, lbl in self._label_args(
                    args, thread_id, given, None, raw, made_from).items()}
            if thread_id.startswith("unthreaded-") and not thread_id.startswith("unthreaded-run-"):
                # no thread, no messages (a Send of a bare call): nothing ties this call to what the
                # model read at the run's other steps, so it may carry anything (fail closed)
                blind = Label(readers=frozenset(self.policy.user), sources=frozenset({"unrelated-step"}),
                              trusted=False)
                return {name: _join(lbl, blind) for name, lbl in self._label_args(
                    args, thread_id, given, None, raw, made_from).items()}
            return self._label_args(args, thread_id, given, None, raw, made_from)
        known = self._thread_seen.get(thread_id)
        held_nothing = known is None and thread_id not in self._unrecorded
        fresh = not watched and held_nothing  # before the rebuild below, which reads it whole
        if held_nothing:
            moved = bool(scan.carrying) or not self._unheard(thread_id)
        else:  # another replica wrote on the thread since it was read: read it again
            moved = self._moved(thread_id)
        unseen = self._rebuild(thread_id, scan.carrying, whole=moved) if (
            moved or thread_id in self._rebuilding
            or (scan.carrying and (known is None or not scan.carrying <= known))) else set()
        if scan.unmarked:
            unseen |= self._shown_otherwise(thread_id, scan.unmarked)
        if scan.provided:  # results of tools the provider ran: never labelled, whatever ids the model chose
            self._unseen(thread_id, scan.provided)
            unseen |= set(scan.provided)
        if scan.summaries and fresh and self._unwritten(thread_id):
            # a thread first seen already compacted (guarded after the fact, or seeded with a summary): the
            # summary stands for a conversation no gate labelled, and may quote anything it read
            self._unseen(thread_id, scan.summaries)
            unseen |= set(scan.summaries)
        if unseen:
            self._blinded(thread_id, unseen)
        else:  # a result never labelled counts for good: the model may carry it once its message is trimmed
            unseen = self._blind.get(thread_id) or unseen
        if unseen and args:  # results this flow never labelled: what the model knows is unknown (fail closed)
            blind = self._unobserved(unseen)
            return {name: _join(lbl, blind) for name, lbl in self._label_args(
                args, thread_id, _with_users(scan.users if users is None else users, typed), None, raw, made_from).items()}
        if not args:
            return {}
        # every result the thread ever showed the model counts, even one whose message has since been
        # trimmed from the state: the model may still carry what it read (a fork of the history may
        # then see more labels than it earned: false denials, never leaks)
        return self._label_args(args, thread_id, _with_users(scan.users if users is None else users, typed), None, raw, made_from)

    def read(self, state: Any, thread_id: str) -> None:
        """Note what a model call is about to read (`state`: its messages): a result no guard node wrote
        blinds the thread now, and is journaled as unobserved, though the state drops it before the
        model's next call (an app's trimming), when `label` would no longer see it."""
        self.label({}, state, thread_id)

    def _unobserved(self, unseen: Collection[str]) -> Label:
        """The label of every argument on a thread that showed results this flow never labelled: private
        to the user and untrusted, naming (some of) those results."""
        return Label(readers=frozenset(self.policy.user), sources=frozenset(
            f"unobserved-result:{c}" for c in sorted(unseen)[:3]), trusted=False)

    def bind(self, specs: Mapping[str, ToolSpec], journal: Any, messages_key: str = "messages") -> None:
        """Called by each guard node this flow serves: its tools' declarations, its journal (from
        which a thread's observations are rebuilt when this flow no longer holds them, `_restore`)
        and the state key of its messages.

        Raises `ConfigError` for a node whose journal is not the flow's: results recorded in another
        journal would never be rebuilt, so a thread dropped or restarted would forget what they showed.
        """
        if journal is not None and self.journal is not None and journal is not self.journal:
            raise ConfigError("a PrivacyFlow rebuilds what a thread showed from one journal, but this guard node "
                              "records into another; give every agent the flow serves the same journal "
                              "(`Agent(..., flow=flow, journal=journal)`, with `PrivacyFlow(..., journal=journal)` "
                              "or the first agent's)")
        for name, spec in specs.items():  # before it is bound: a node refused leaves the flow as it was
            self._spec(name, spec)
        self._declare(specs)
        # referred to, not copied: a gate registers its tools after it is built
        try:
            ref: Callable[[], Mapping[str, ToolSpec] | None] = weakref.ref(specs)
        except TypeError:  # a mapping that takes no weak reference is kept
            ref = (lambda kept: lambda: kept)(specs)
        with self._lock:  # those of nodes dropped since are let go (no callback: it could run under the lock)
            self._bound = [*(r for r in self._bound if r() is not None), ref]
        for spec in specs.values():  # kinds whose records are keyed by a private field (see `private_keys`)
            src = source_of(spec.meta)
            if src is not None and src.key and src.key in src.private:
                self.private_keys.add(src.kind or spec.name)
        if self.journal is None:
            self.journal = journal
            self._read_from(journal)
        if messages_key not in self._message_keys:
            self._message_keys = (*self._message_keys, messages_key)

    def bound(self) -> list[Mapping[str, ToolSpec]]:
        """The tools of the guard nodes this flow serves that are still alive, one mapping a node, by name."""
        return [m for ref in self._bound if (m := ref()) is not None]

    def _read_from(self, journal: Any) -> None:
        """Tell the journal this flow keeps what it reads of threads (`EffectJournal.add_reader`)."""
        add_reader = getattr(journal, "add_reader", None)
        if add_reader is not None:
            add_reader(self)

    def _spec(self, tool: str, joining: ToolSpec | None = None) -> ToolSpec | None:
        """The declaration of the tool of that name among the guard nodes this flow serves (and `joining`,
        one a node about to be bound holds).

        Raises `ConfigError` when two of them declare different tools under the name: the journal knows
        a call's tool by its name alone, so a thread rebuilt from it would label one tool's results by
        the other's declaration (a web page as a trusted wiki's)."""
        found = [m[tool] for m in self.bound() if tool in m] + ([joining] if joining is not None else [])
        if not found:
            return None
        first = found[0]
        for other in found[1:]:
            if other is not first and _declared(other) != _declared(first):
                raise _two_tools(tool)
        return first

    def _declare(self, specs: Mapping[str, ToolSpec]) -> None:
        """Keep what each tool declares by its name, refusing one that differs from what a tool bound
        before under the name declared (its node may since have been dropped: its threads are not);
        all or nothing, so a node refused leaves the flow as it was."""
        declared = {name: _declared(spec) for name, spec in specs.items()}
        with self._lock:
            for name, d in declared.items():
                if self._declarations.get(name, d) != d:
                    raise _two_tools(name)
            for name, d in declared.items():
                self._declarations.setdefault(name, d)

    def resolve(self, proposal: Proposal) -> dict[str, Any]:
        """The arguments the effect really receives: handles swapped for their values (after the guards)."""
        args = proposal.args
        if not has_marks(args):  # no handle in it: the arguments as they are (a fresh top-level dict)
            self._began(proposal)
            return dict(args) if args.__class__ is dict else self.store.resolve(args, proposal.thread_id)
        store, thread = self.store, proposal.thread_id
        lost = [t for t in store.tokens_in(args) if store.get(t, thread) is None]
        if lost:  # the guard denies forged tokens: one unknown now was dropped since (`max_threads`)
            raise HandleError(f"{lost[0]} stands for no value on this thread any more (the flow dropped the "
                              f"thread after the check); nothing was run")
        self._began(proposal)
        return store.resolve(args, thread)

    def _began(self, proposal: Proposal) -> None:
        """Keep the disclosure of a call whose effect begins now (the kernel resolves its arguments as it
        runs it): one cut off before it ends (a stream closed, a crash) may have sent its arguments."""
        self._disclosed(proposal.thread_id, self._spec(proposal.tool), proposal.args, proposal.call_id)

    def values(self, args: Mapping[str, Any], thread_id: str) -> dict[str, Any] | None:
        """Arguments as the effect would receive them (handles swapped for what they stand for), for the
        guards that judge values rather than labels (a call's, and those of the thread's commits);
        None when they hold no handle of the thread (read as they are: a forged one is the privacy
        guard's to deny)."""
        if not has_marks(args):
            return None
        store = self.store
        if not any(store.get(t, thread_id) is not None for t in store.tokens_in(args, True)):
            return None
        return store.resolve(args, thread_id)

    def marked(self, args: Mapping[str, Any]) -> frozenset[str]:
        """The arguments, as written, that hold a handle's text (the kernel validates them on the values
        behind their handles where the text does not fit the tool's schema: an amount's handle)."""
        if not has_marks(args):
            return frozenset()
        return frozenset(k for k, v in args.items() if self.store.tokens_in(v))

    def holds_handles(self, thread_id: str) -> bool:
        """Whether any handle was minted on the thread (a guard judging values may then quote one)."""
        return self.store.has_thread(thread_id)

    def withhold(self, value: Any, thread_id: str) -> Any:
        """`value` (what a guard that judged values said) with every value of the thread's handles
        written as its handle: journaled, traced and shown as the model holds them."""
        return self.store.withheld(value, thread_id)

    def observe(self, proposal: Proposal, spec: ToolSpec | None, result: Any, *, hidden: bool = False,
                hidden_as: Label | None = None) -> str:
        """Label a tool result, put handles in place of its private values, and return what the model sees.
        `hidden`: the result is the one handle this flow showed for it whole (an audit of the messages of a
        run that hid it): labelled so again, never read, with the readers and trust `hidden_as` gives (as
        the live flow labelled it, `hidden_label`, which its message records), else private to the user."""
        cached = self._obs.get((proposal.thread_id, proposal.call_id))  # one dict read: atomic
        if cached is not None:  # a replayed node: the same text as the first time
            return cached.text
        # kept first (if `resolve` did not): the call ran and sent its arguments, whatever its result comes to
        self._disclosed(proposal.thread_id, spec, proposal.args, proposal.call_id)
        obs = self.record(proposal.thread_id, proposal.call_id, proposal.tool,
                          source_of(spec.meta) if spec is not None else None, result,
                          inputs=proposal.labels.values(), args=proposal.args, secrets=self.secrets_in(proposal.args, proposal.thread_id) or (
                              [Label(readers=frozenset(self.policy.user), sources=frozenset({f"tool:{proposal.tool}"}))]
                              if hidden else []), hidden_as=hidden_as if hidden else None)
        return obs.text

    def hidden_label(self, thread_id: str, call_id: str) -> dict[str, Any] | None:
        """How this flow labelled a call's result it showed as one handle (hidden whole), for its message
        to record, as JSON: the messages hold the handle, not the result its label came from. "readers"
        (["*"], `PUBLIC_SINK`, for a result anyone may read) and "trusted"; None for a result not hidden
        whole."""
        obs = self._obs.get((thread_id, call_id))  # one dict read: atomic
        # a result shown as anything but one handle needs no digest to tell (one per result, on the hot path)
        if obs is None or obs.text[:1] != "«" or obs.text != self.store.token(thread_id, obs.call_id, "$", obs.tool):
            return None
        # a public one too: recorded as no readers, the audit would take it for the user's alone
        readers = [PUBLIC_SINK] if obs.label.readers is None else sorted(obs.label.readers)
        return {"readers": readers, "trusted": obs.label.trusted}

    def disclosures(self, thread_id: str) -> list[tuple[ToolSpec, Mapping[str, Any]]]:
        """The calls that ran on a thread and disclosed arguments to someone, oldest first (the last
        `DISCLOSURES`): (the tool, its arguments as written). The privacy guard reads what each
        recipient received from them, for a value cut across calls."""
        with self._lock:
            kept = self._disclosures.get(thread_id)
            return list(kept.values()) if kept else []

    def _disclosed(self, thread_id: str, spec: ToolSpec | None, args: Any, call_id: str) -> None:
        """Keep a call that began (its effect may have sent part, however it ends) if it discloses an
        argument: one its sink names, or one it does not (published, as the guard reads it: a tool
        without a sink declaration, or a sink that names no recipient, publishes every argument not
        `internal`); once per call."""
        if spec is None or not isinstance(args, Mapping) or not args:
            return
        kept = self._disclosures.get(thread_id)  # one dict read: atomic
        if kept is not None and call_id in kept:
            return  # kept as it began (`resolve`)
        decl = sink_of(spec.meta)
        if decl is not None and not decl.disclose and all(a in decl.internal for a in args):
            return
        with self._lock:
            kept = self._disclosures.setdefault(thread_id, {})
            if call_id in kept:
                return
            kept[call_id] = (spec, args)
            if len(kept) > DISCLOSURES:
                del kept[next(iter(kept))]

    def observe_error(self, proposal: Proposal, spec: ToolSpec | None, text: str) -> str:
        """Label a tool's error text: it may quote anything the tool held, so it is private to the
        user and untrusted as a whole, and tracked by value (the model reads it, to recover)."""
        with self._lock:
            cached = self._obs.get((proposal.thread_id, proposal.call_id))
        if cached is not None:
            return cached.text
        decl = source_of(spec.meta) if spec is not None else None
        kind = (decl.kind if decl is not None else "") or proposal.tool
        self._disclosed(proposal.thread_id, spec, proposal.args, proposal.call_id)  # it may have sent part of it
        return self.record(proposal.thread_id, proposal.call_id, proposal.tool, _error_source(kind), text,
                           inputs=proposal.labels.values(), secrets=self.secrets_in(proposal.args, proposal.thread_id)).text

    def observe_denial(self, proposal: Proposal, text: str) -> str:
        """The text of a guard's denial as the model reads it: a guard's reason may quote the world (a
        balance a precondition compared), so every token with a digit or an "@" in it (an amount, an id,
        a date, an address) is withheld, whatever it is: whether a token is shown never depends on its
        value, so a denial confirms none of the model's guesses (its own arguments quoted back are
        withheld too). Kept for the call, as a result is: a replay shows the same text."""
        with self._lock:
            cached = self._obs.get((proposal.thread_id, proposal.call_id))
        if cached is not None:
            return cached.text
        # the node's opening names the tool and the guard, never the world; one character tells little,
        # and a policy's constants are often one ("0 < amount")
        opening = f"{proposal.tool} denied by guard "
        head, sep, rest = text.partition(": ") if text.startswith(opening) else ("", "", text)
        # a handle is withheld whole, and so is every text and number of the call's own arguments (as written,
        # and as the thread's handles rewrite it) and every word of them: a guard judging values wrote a right
        # guess as its handle and a wrong one as written, so both read alike only so (the marks and one-letter
        # words between a wrong guess's words, a guess of one letter or digit, would single out the right one)
        written = proposal.raw_args if proposal.raw_args is not None else proposal.args
        rest = _own_values_withheld(rest, [written, proposal.args],
                                    lambda v: self.store.withheld(v, proposal.thread_id))
        rest = HANDLE_RE.sub(_WITHHELD, rest)
        words = _words_of(written, set())
        if words:
            rest = _WORD.sub(lambda m: _WITHHELD if m.group(0) in words else m.group(0), rest)
        shown = _WITHHELD_RUN.sub(_WITHHELD, _TOKEN.sub(lambda m: m.group(0) if len(m.group(0)) < 2 else _WITHHELD, rest))
        # a number written as its handle is a text in the evidence's JSON: any withheld JSON text is shown bare
        shown = shown.replace(f'"{_WITHHELD}"', _WITHHELD)
        shown = head + sep + shown
        return self._remember(proposal.thread_id, proposal.call_id,
                              Observation(proposal.call_id, proposal.tool, text=shown)).text

    # -- labelling arguments ---------------------------------------------------------------------

    def seen(self, thread_id: str, calls: Collection[str] | None = None) -> list[Observation]:
        """The thread's observations, oldest first; only those whose call ids are in `calls` if given."""
        with self._lock:
            ids = list(self._thread_calls.get(thread_id, ()))
            return [self._obs[(thread_id, c)] for c in ids if calls is None or c in calls]

    def label_args(self, args: Mapping[str, Any], thread_id: str, user_texts: Iterable[str] = (),
                   calls: set[str] | None = None, raw_args: Mapping[str, Any] | None = None, *,
                   edited_from: Any = None, made_from: Label | None = None) -> dict[str, Label]:
        """Label each argument from what the model saw on this thread (see the module docstring);
        `raw_args`: the arguments as written, before validation, labelled too where they differ;
        `edited_from`: for a person's edit (`raw_args`), the model's call as written (see `label`);
        `made_from`: for a call made from inside another call's effect, the label of what it was made
        from (see `label`'s "within")."""
        typed = _typed_by_person(raw_args if raw_args is not None else args, edited_from) if edited_from is not None else ()
        return self._label_args(args, thread_id, _users_forms((*user_texts, *typed)), calls, raw_args, made_from)

    def _label_args(self, args: Mapping[str, Any], thread_id: str, users_forms: tuple[str, frozenset[str]],
                    calls: Collection[str] | None, raw: Any = None, made_from: Label | None = None) -> dict[str, Label]:
        idx = self._index(thread_id, calls)
        if made_from is not None:  # a call made from another call's arguments: they taint it as a read would
            idx = idx.tainted(_made(made_from))
        users, user_numbers = users_forms
        leaf_label = self._leaf_label
        out: dict[str, Label] = {}
        stray = None
        # arguments validation filled in from the tool's defaults: the model wrote none of what they hold
        unwritten = args.keys() - raw.keys() if idx.read is not None and isinstance(raw, Mapping) else ()
        if raw is not None:
            raw = raw if isinstance(raw, Mapping) else {}
            held = [v for k, v in raw.items() if k not in args]
            if held:  # written under a name no argument has (an alias): what it holds may be in any of them
                stray = _join_all([leaf_label(leaf, thread_id, idx, users, user_numbers) for v in held for leaf in _leaves(v)])
        for name, value in args.items():
            if unwritten and name in unwritten:
                out[name] = _join_all([leaf_label(leaf, thread_id, idx, users, user_numbers, False) for leaf in _leaves(value)])
            elif value.__class__ is str:  # one leaf: its label
                out[name] = leaf_label(value, thread_id, idx, users, user_numbers)
            else:
                leaves = _leaves(value)
                out[name] = _join_all([leaf_label(leaf, thread_id, idx, users, user_numbers) for leaf in leaves])
                if idx.read is not None and len(leaves) + _empties(value) > 1:
                    # under the strict context how many items there are, their order, repeats and nesting
                    # are the model's writing, as the arrangement of handles in a text is: one value alone is exempt
                    out[name] = _join(out[name], idx.read)
            if raw is not None:
                written = raw.get(name, value)
                # validation may rewrite what the model wrote (a URL percent-encoded, seconds as a
                # duration) into a form that hides it, which the tool reads back: both forms are labelled
                if written is not value and written != value:
                    leaves = _written_leaves(written, value)
                    # a number written as its text ("1200.00" for 1200.0) is that number for grounding too
                    number = _same_number(written, value)
                    out[name] = _join(out[name], _join_all([leaf_label(leaf, thread_id, idx, users, user_numbers, True, number)
                                                            for leaf in leaves]))
                    if idx.read is not None and len(leaves) + _empties(written) > 1:  # (as above)
                        out[name] = _join(out[name], idx.read)
                if stray is not None:
                    out[name] = _join(out[name], stray)
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
                    # kept for the most recently extended threads only (a thread's next call
                    # extends it; one that went quiet is indexed again from its observations)
                    indexes = self._indexes
                    if indexes.pop(thread_id, None) is None and len(indexes) >= _RECENT:
                        del indexes[next(iter(indexes))]
                    indexes[thread_id] = (ids, idx)
        return idx

    def _leaf_label(self, leaf: Any, thread_id: str, idx: _Index, users: str, user_numbers: frozenset[str],
                    written: bool = True, as_number: bool = False) -> Label:
        """A leaf's label; `written`: the model wrote its argument (not a default validation filled in);
        `as_number`: a text that is the very number a numeric argument validated to (`_same_number`)."""
        text = _text(leaf)
        # what the model read in clear (`context_taint="private"`): an argument it left out, or None, holds none of it
        read = idx.read if written and leaf is not None else None
        out = held = PUBLIC  # the labels of the text around the handles, and of the handles in it
        if "«" in text:
            handles = [(m.group(0), self.store.get(m.group(0), thread_id)) for m in HANDLE_RE.finditer(text)]
            held = _join_each(held, [h.label if h is not None else Label(
                readers=frozenset(), sources=frozenset({f"forged-handle:{token}"}), trusted=False) for token, h in handles])
            if idx.taint is not None and not HANDLE_RE.fullmatch(text.strip()):
                # a handle glued to words or to other handles is a value no trusted tool gave whole (1200«75»
                # pays 120075): after untrusted content, that arrangement may be the injection's
                held = _join(held, idx.taint)
            rest = HANDLE_RE.sub(" ", text)
            if (idx.tracked or idx.digits or idx.texts) and not HANDLE_RE.fullmatch(text):
                # as its recipient reads it: a handle's value may join the text beside it (see `handles_read`)
                seen_as = self.handles_read(text, thread_id, idx)
                if seen_as is not None:
                    held = _join(held, _found_label(PUBLIC, seen_as, _norm_of(seen_as), idx))
        else:
            rest = text
        if rest is not text and not rest.strip():  # nothing but handles
            # more than one, or spaced: how they are repeated, ordered and spaced is the model's writing; so
            # is which of the handles a tool computed before a read it picks (a codebook `compute` minted)
            alone = HANDLE_RE.fullmatch(text) and not _minted_before_a_read(idx, handles[0][1])
            return held if read is None or alone else _join(held, read)
        n = _norm_of(rest)  # may be empty (nothing but punctuation): still subject to taint below
        out = _found_label(out, rest, n, idx)
        if _escaped(rest):  # its escapes read as written too: "\\uCafe2024" read as a letter hides Cafe2024
            for (written,) in _written_readings([rest]):
                out = _found_label(out, written, _norm_of(written), idx)
        number = as_number or isinstance(leaf, (int, float)) or _is_decimal(leaf)
        key = _num(text) if number else n
        # grounded in what the user typed: whole tokens of it as written, case and punctuation kept
        # (never a piece of one, nor a variant an injection could ask for: BLUE-HARBOR-77!! is not
        # Blue-Harbor-77, bob@fami.ly.example is not bob@family.example, "20" is no token of
        # 2026-06-20, "!!!#the" is not "the"), a number as a whole number of it ("#": see `_user_forms`)
        if number:
            in_user = "#" + key in user_numbers
        else:  # a text with no letter or digit is no token of anything (a "-" the user typed grounds no password)
            said = " ".join(rest.split()) if n else ""
            in_user = bool(said) and (f" {said} " in users or (" " in said and _grouped_in(said, users)))
        # under the strict context, the user's words and a trusted value are exempt as written only: white
        # space (its runs, their characters, where they stand), case, where a handle stands among them and
        # how a Decimal is spelled are the model's to choose, a channel for what it read
        plain = read is None or (text == " ".join(text.split()) and rest is text
                                 and (not _is_decimal(leaf) or _decimal_as_given(leaf, users)))
        # what vouches for the words around handles never vouches for the handles: each keeps its label
        if (in_user and plain) or (_lower(text.strip()) if read is None else text) in self.policy.addresses:
            said_so = _join(_vouched(_join(out, USER)), held)  # the user's own address is the user's word too
            if read is not None and in_user and not number and f" {said} " not in users:
                # an account number the user typed, regrouped: theirs for authority, but where its spaces
                # stand is the model's writing
                return _join(said_so, read)
            return said_so
        if idx.taint is not None or not out.trusted or read is not None:
            trusted = idx.trusted_words  # whole trusted values only: a word of one grounds nothing
            form = _value_form(rest)  # empty (blank, or nothing but punctuation): the form of no value
            if (form and form in trusted) or (number and (key in trusted or NUMBER_MARK + key in trusted)):
                # a trusted tool gave this very value: untrusted text also holding it adds no authority;
                # nor does it carry what the model read, unless it is a private value read in clear
                out = _vouched(out)
                if read is None or (plain and (number or SPELLED_MARK + text in trusted)
                                    and not _among(idx.read_words, form, number, key)):
                    return _join(out, held)
            elif idx.taint is not None:
                out = _join(out, idx.taint)
            if read is not None and text not in ("", " "):  # written after reading private values in clear: it may carry them
                out = _join(out, read)
        return _join(out, held)

    def content_label(self, texts: Iterable[str], thread_id: str, calls: Collection[str] | None = None) -> Label:
        """The label value tracking gives texts joined together (all of them forward and in reverse, and
        in the order of the texts a value is cut across, `_orders`): a private value split across
        arguments of one call is caught, other arguments between them or not, in any order (no taint:
        only what it carries).

        Each text is normalised on its own (as when it was labelled alone, so the cached forms serve) and
        the forms are joined: texts are joined at a space, so no letter, digit or word merges across them.
        """
        texts = [t for t in texts if t]
        parts = [HANDLE_RE.sub(" ", t) if "«" in t else t for t in texts]
        out = self._content_label(parts, thread_id, calls)
        if any(map(_escaped, parts)):  # escapes read as written too (`_written_readings`)
            for written in _written_readings(parts):
                out = _join(out, self._content_label(written, thread_id, calls))
        if any("«" in t for t in texts):  # as their recipients read them too (see `handles_read`)
            idx = self._index(thread_id, calls)
            if idx.tracked or idx.digits or idx.texts:
                read = [self.handles_read(t, thread_id, idx) if "«" in t else None for t in texts]
                if any(r is not None for r in read):
                    out = _join(out, self._content_label([p if r is None else r for p, r in zip(parts, read)],
                                                         thread_id, calls))
        return out

    def handles_read(self, text: str, thread_id: str, idx: _Index | None = None) -> str | None:
        """`text` as its recipient reads it, where that differs for value tracking: each handle whose value
        holds no tracked value that fewer may read than its handle, or that is untrusted where the handle
        is not, swapped for the value's text (one of another origin alone is read: its sources are all the
        reading adds), None when none is. A value joins the text beside it (an empty one glues the words
        on either side, a word completes a run of a private text), so a text is read so as well as with
        its handles taken for spaces; a value holding a tracked value fewer may read stays a space (its
        handle's label carries what it shows, and reading it would find that value inside it: a
        recipient it was shown to denied)."""
        idx = self._index(thread_id, None) if idx is None else idx
        store, clean = self.store, self._clean
        swapped = False
        size = len(text)

        def swap(m: re.Match[str]) -> str:
            nonlocal swapped, size
            token = m.group(0)
            h = store.get(token, thread_id)
            if h is None:
                return " "
            hit = clean.get((thread_id, token))
            if hit is None or hit[0] is not idx:  # worked out once per index (a call's label and check share it)
                value = _value_text(h.value)
                joined = _join(h.label, _found_label(PUBLIC, value, _norm_of(value), idx))
                # read beside its text by its ends alone: its inside was read alone, just now
                hit = (idx, joined.readers == h.label.readers and joined.trusted == h.label.trusted, " ".join(text_ends(value)))
                if len(clean) >= 256:  # a few calls' worth: each entry holds an index alive
                    clean.clear()
                clean[(thread_id, token)] = hit
            if not hit[1]:
                return " "  # it holds a value fewer may read, or untrusted (its own value is tracked with its label)
            swapped = True
            size += len(hit[2])
            if size > READ_LIMIT:  # a handle written over and over: what it stands for is not read (fail closed)
                raise ReadTooLong(f"a text read with its handles' values is longer than {READ_LIMIT:,} characters")
            return hit[2]

        out = HANDLE_RE.sub(swap, text)
        return out if swapped else None

    def _echo(self, thread_id: str, inputs: Sequence[Label], args: Any = None) -> Callable[[Label, Any], Label] | None:
        """How a handle minted in the result of a call given private arguments is labelled (`_Walk.echo`): its
        field's label joined with the readers and sources of what value tracking finds in its value, its trust
        its own (the inputs' taint says that). A tool may echo an argument the model wrote in clear under a field
        of wider readers (a draft's body, its recipient's): behind that handle the value is never read again
        (`handles_read`: its handle's label carries what it shows), so it would go to the field's readers.
        `args`, the call's arguments, are private too where their texts read together hold a private value (cut
        across them, as a sink's are read: the tool may join them), and where one of them starts or ends a text of
        the echoed value that holds a private value its rest does not, the rest being what a handle of the thread
        stood for: the tool joined the argument, however short, to pieces earlier calls gave it (a draft appended
        to, as it stood). None when nothing is tracked on the
        thread; a result of a call given nothing private (a mail read by its id) keeps its declared readers,
        whatever its value quotes, unless the argument completes what it quotes."""
        private = frozenset().union(*(lbl.sources for lbl in inputs if lbl.readers is not None))
        idx = self._index(thread_id, None)  # the thread before this result: its arguments were labelled from it
        if not (idx.tracked or idx.digits or idx.texts):
            return None
        texts = _strings_of(args) if isinstance(args, Mapping) else []
        joinable = len(texts) > 1 or bool(texts and len(_digit_units(texts[0])) > 1)  # as the guard reads a sink's
        ends_of = _by_length(_held_texts(args) if texts else [])  # not their names
        if not (private or joinable or ends_of):
            return None
        together: list[frozenset[str]] = []

        def given_all() -> frozenset[str]:
            """The private arguments' sources, and those of what the arguments' texts hold read together: read
            once, and only for a value that holds something else private (the hot path reads nothing)."""
            if not together:
                joined = self.content_label(texts, thread_id) if joinable else PUBLIC
                together.append(private | joined.sources if joined.readers is not None else private)
            return together[0]

        by_given: dict[frozenset[str], _Index] = {}
        before: list[frozenset[str]] = []

        def shown_before() -> frozenset[str]:
            """The texts the thread's handles stood for before this result (a record's, leaf by leaf), stripped."""
            if not before:
                before.append(frozenset(text.strip() for h in self.store.of_thread(thread_id)
                                        for text in ([h.value] if isinstance(h.value, str) else _strings_of(h.value))))
            return before[0]

        def found_in(text: str, idx: _Index) -> Label:
            found = _found_label(PUBLIC, text, _norm_of(text), idx)
            if _escaped(text):  # its escapes read as written too, as an argument's are: "\\uCafe2024" hides Cafe2024
                for (written,) in _written_readings([text]):
                    found = _found_label(found, written, _norm_of(written), idx)
            return found

        def echo(lbl: Label, value: Any) -> Label:
            ends = _ends_in(value, ends_of) if ends_of else []
            if not (private or joinable or ends):  # given nothing private, nor joining anything: as declared
                return lbl
            text = _value_text(value)
            found = found_in(text, idx)
            if not found.sources:  # nothing private in it: nothing to narrow it by (the hot path)
                return lbl
            given = private if found.sources <= private else given_all()
            # an echo is of what the call was given: a value it finds that no private argument came from (a mail
            # read by a private id quoting the user's phone) leaves the field's readers as declared; the field's
            # own sources are no value found (a mail keyed by the private id it was read by names that id too);
            # but a value an argument completes where the tool joined it, found there and not in the rest, is
            # only where the rest is what an earlier result of the thread showed behind a handle (the draft as it
            # stood): a mail read by an id that happens to end the phone it quotes was joined to nothing
            ours = given
            if ends and found.sources - given:
                for leaf, rest in ends:
                    if rest.strip() in shown_before():
                        ours = ours | (found_in(leaf, idx).sources - found_in(rest, idx).sources)
            if not (found.sources & ours):
                return lbl
            if ours not in by_given:  # what it found of the arguments' sources alone, read again (only then: rare)
                by_given[ours] = _Index(tracked={v: t for v, t in idx.tracked.items() if t.sources & ours},
                                        texts={v: t for v, t in idx.texts.items() if t.sources & ours},
                                        digits={v: t for v, t in idx.digits.items() if t.sources & ours})
            found = found_in(text, by_given[ours])
            joined = _join(lbl, found)
            if joined.readers == lbl.readers:
                return lbl
            return Label(readers=joined.readers, sources=joined.sources, trusted=lbl.trusted)

        return echo

    def _content_label(self, parts: list[str], thread_id: str, calls: Collection[str] | None) -> Label:
        """`content_label` of texts whose handles were read (taken for spaces, or swapped for their values)."""
        out = PUBLIC
        idx = None
        units = _units_of(parts)
        if len(units) >= 2:  # digits cut within a text, or across texts whatever else they hold
            idx = self._index(thread_id, calls)
            out = _join_each(out, _unit_cuts(units, idx))
        if len(parts) < 2:
            return out
        if idx is None:
            idx = self._index(thread_id, calls)
        if not (idx.tracked or idx.digits or idx.texts):
            return out  # nothing tracked: nothing to find, joined or not
        orders, cut, _more = _orders(parts, idx)
        out = _join_each(out, cut)  # values cut across texts (every one of them: the orders keep some)
        if _joined_size(parts, orders) > _JOINED:
            return _join(out, _UNCUT)
        # every order's join looked up at once: a separator no value holds (values are letters and
        # digits, or digits) keeps each value within one join
        if idx.tracked:
            norms = [_norm_of(p) for p in parts]
            tracked = idx.tracked
            out = _join_each(out, [tracked[value] for value in idx.tracked_in(
                "|".join(["".join([norms[i] for i in order]) for order in orders]))])
        if idx.digits:
            digits = [_digits_of(p).partition("|")[0] for p in parts]  # each text's padded forms were read with it alone
            out = _digit_label(out, "|".join(["".join([digits[i] for i in order]) for order in orders]), idx)
        for words in _join_readings(parts) if idx.texts else ():
            # a run across a join holds the last word before it and the first after it, side by side:
            # when no private text holds a join's pair, no run across that join can be in one (a run
            # across several joins, none across one of them), and when none holds any pair, none at all
            sides = [[words[i] for i in order if words[i]] for order in orders]
            pairs = [[(x[-1], y[0]) for x, y in zip(side, side[1:])] for side in sides]
            held = idx.side_by_side_of([pair for side in pairs for pair in side])
            if not held:
                continue
            # runs inside one text were looked up when it was labelled: only those across a join are new.
            # Every order's runs are looked up at once, each once (the orders of three texts hold each
            # join twice): the label is the join of the labels of the private texts holding any of them,
            # whichever order they were found in.
            runs: dict[str, None] = {}
            for side, joins in zip(sides, pairs):
                if not any(pair in held for pair in joins):
                    continue
                joined: list[str] = []
                across: set[int] = set()  # the runs across a join whose words stand side by side
                apart: set[int] = set()  # the runs across a join whose words do not: in no private text
                for k, ws in enumerate(side):
                    if joined:  # a join before the word at len(joined): the runs starting up to five before it cross it
                        (across if joins[k - 1] in held else apart).update(
                            range(max(0, len(joined) - SHINGLE + 1), len(joined)))
                    joined += ws
                last = len(joined) - SHINGLE
                for i in sorted(across - apart):
                    if i > last:
                        break
                    runs[" ".join(joined[i:i + SHINGLE])] = None
            out = _runs_label(out, runs, idx)
        return out

    def values_in(self, values: Iterable[Any], thread_id: str, texts: Iterable[str] | None = None, *,
                  as_written: bool = False) -> frozenset[str]:
        """Keyed digests of the private values that arguments carry: what a person's approval "for this
        recipient" covers. Found as labelling finds them (by handle, in clear, split across the
        arguments), each known by how it is written: the whole words it lies in, case kept, runs of
        white space as one space, and those of its words that folding changed as they were written. So
        another value of the same normal form (4210.75 and 42107.5; a password in another case; a
        look-alike), a value inside a longer one, or digits scattered through a text is not the value
        approved; a private text is known by each six-word run of it shown, a handle by its value. A
        handle this thread does not hold is a value of its own, and so is a call with more matches
        than `_MAX_VALUES` (no approval covers it: the question is asked each time). `texts`: the
        leaves as text, if not every leaf of `values` as labelling reads it (`_text`); `as_written`: the
        texts are a reading of escapes as written (`_written_readings`), whose own are read as letters."""
        store, idx = self.store, self._index(thread_id, None)
        found: set[str] = set()
        parts: list[str] = []
        read: list[str | None] = []  # each text as its recipient reads it, where that differs (`handles_read`)
        given: list[str] = []
        for t in (texts if texts is not None else (_text(x) for v in values for x in _leaves(v))):
            if not t:
                continue  # nothing in it, and no place among the texts joined (as `content_label` joins them)
            given.append(t)
            if "«" in t:
                for m in HANDLE_RE.finditer(t):
                    h = store.get(m.group(0), thread_id)
                    found.add(f"value\0{_spelling(_text(h.value))}" if h is not None else f"handle\0{m.group(0)}")
                read.append(self.handles_read(t, thread_id, idx) if idx.tracked or idx.digits or idx.texts else None)
                t = HANDLE_RE.sub(" ", t)
            else:
                read.append(None)
            parts.append(t)
        # read so too: what a handle's value forms with the text beside it is named (as digests)
        named = self.values_in((), thread_id, [p if r is None else HANDLE_RE.sub(" ", r) for p, r in zip(parts, read)]
                               ) if any(r is not None for r in read) else frozenset()
        seen = [0]
        # folding changes no word (nor reads an escape): no word to tie to its place
        plain = all(t.isascii() and not _escaped(t) for t in parts)
        spaced = None if plain else [_marks_spaced(t) or t for t in parts]
        if spaced == parts:
            spaced = None
        try:
            if spaced is not None and any(_glued_label(PUBLIC, t, idx) is not PUBLIC for t in parts):
                # words glued by marks found run together in a private text: which run, as written, is
                # not worked out (the question is asked each time)
                raise _TooMany
            if _unit_cuts(_units_of(parts), idx, apart=True) or any(_written_out(p) for p in parts):
                # digits cut within the texts, or a number in exponent form: which value, as written, is
                # not worked out (the question is asked each time)
                raise _TooMany
            if idx.digits and any(_zeros_lost(p, idx) for p in parts):
                # a tracked number written without its leading zeros (labelling puts them back): which
                # value it is, as written, is not worked out either (78-05-1120 beside an approved one)
                raise _TooMany
            orders, _cut, more = _orders(parts, idx)
            if more:  # values cut across more pairs of texts than are joined: not all of them are named
                raise _TooMany
            size = _joined_size(parts, orders)
            if size > _JOINED_NAMED or size * (len(idx.tracked) + len(idx.digits)) > _SEARCH_BUDGET:
                raise _TooMany  # more to read than a check may take
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
        out = frozenset(store.digest(v) for v in found) | named
        if not as_written and any(map(_escaped, given)):  # escapes read as written too, as labelling reads them
            # once, as there: a reading's own escapes read as written again would be every mix of the
            # formats in every order (82 readings of a text of four formats, each read whole)
            for written in _written_readings(given):
                out |= self.values_in((), thread_id, written, as_written=True)
        # words joined by invisible marks are read apart too, as labelling reads them (`_marks_spaced`)
        return out if spaced is None else out | self.values_in((), thread_id, spaced)

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


DISCLOSURES = 32
"""The calls that disclosed something a flow keeps per thread: a value cut over more calls to one
recipient than this, or with more calls between its pieces, is not found (a documented residual)."""

_WORD = re.compile(r"\w+")


def _two_tools(tool: str) -> ConfigError:
    return ConfigError(f"this PrivacyFlow serves two tools named {tool!r} that declare different sources, sinks or "
                       "arguments; the journal records a call's tool by its name, so rename one of them, or give "
                       "each agent a flow (and journal) of its own")


def _declared(spec: ToolSpec) -> tuple[Any, ...]:
    """What the flow reads of a tool's declaration: its privacy source and sink, and its arguments."""
    return source_of(spec.meta), sink_of(spec.meta), tuple(spec.args_model.model_fields)


def _found_label(out: Label, text: str, n: str, idx: _Index) -> Label:
    """`out` joined with the labels value tracking finds in `text` alone (`n`: its normal form): tracked
    values, digit tokens and runs of private texts' words (also with invisible marks taken for spaces,
    and words glued by them looked for run together)."""
    if n and idx.tracked:
        tracked = idx.tracked
        out = _join_each(out, [tracked[value] for value in idx.tracked_in(n)])
        written = _written_out(text) if _RAISED.search(text) else None
        if written is not None:  # a number in exponent form as written out too: 1.2e3 is 1200
            out = _join_each(out, [tracked[value] for value in idx.tracked_in(_norm_of(written))])
    if idx.digits:
        out = _digit_label(out, _digits_of(text), idx)
    if idx.texts:
        out = _text_label(out, _words(text), idx)
        spaced = _marks_spaced(text)
        if spaced is not None:
            out = _glued_label(_text_label(out, _words(spaced), idx), text, idx)
    return out


_RAISED = re.compile(r"\d\s*(?:[eE]|[xX×*·⋅]|\\times|\\cdot)|10\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]")
"""Where a number in exponent form may stand (`_forms._EXPONENT`): only then is a text written out."""


def _decimal_as_given(value: Decimal, users: str) -> bool:
    """Whether a `Decimal` is in the form a JSON number gives it, or as the user typed it: it keeps the form
    it was written in ("1200.0000", "1.2E+3"), which the tool receives, so any other is the model's choice."""
    text = str(value)
    return text in (_num(text), str(Decimal(repr(float(value))))) or f" {text} " in users


def _same_number(written: Any, value: Any) -> bool:
    """Whether the model wrote a numeric argument as the text of the number it validated to ("1200.00" for
    1200.0): grounded as that number, never as a text (a password "1200.00" is no 1200)."""
    return (isinstance(written, str) and value.__class__ is not bool and (isinstance(value, (int, float)) or _is_decimal(value))
            and _num(written) == _num(_text(value)))


def _among(words: frozenset[str], form: str, number: bool, key: str) -> bool:
    """Whether a value (its form; a number's `_num` key too) is among `words`, as `_leaf_label` grounds it."""
    return bool(words) and ((bool(form) and form in words) or (number and (key in words or NUMBER_MARK + key in words)))


def _own_values_withheld(text: str, args: Iterable[Mapping[str, Any]], rewrite: Callable[[Any], Any]) -> str:
    """`text` (a denial) with each text and number the call's arguments hold withheld whole, in the forms
    `HandleStore.withheld` writes a handle's value in (as written, escaped as a repr or JSON writes it; one
    shorter than four characters only where it stands whole), both as written and as `rewrite` (the
    thread's handles) writes it: what is withheld depends on what the model wrote, never on its value."""
    forms: set[str] = set()
    for leaf in (x for a in args for v in a.values() for x in _leaves(v)):  # its values, never its names
        if leaf is None or leaf.__class__ is bool:
            continue
        for v in (leaf, rewrite(leaf)):
            t = _value_text(v)
            forms.update(f for f in (t, repr(t)[1:-1], json.dumps(t)[1:-1], json.dumps(t, ensure_ascii=False)[1:-1])
                         if f.strip())
    if not forms:
        return text
    pattern = re.compile("|".join(rf"(?<![\w.]){re.escape(f)}(?!\w|\.[0-9])" if len(f) < 4 else re.escape(f)
                                  for f in sorted(forms, key=len, reverse=True)))
    return pattern.sub(_WITHHELD, text)


def _words_of(value: Any, out: set[str], depth: int = 0) -> set[str]:
    """The words (two characters or more) of the texts in a call's arguments, handles left out."""
    if isinstance(value, str):
        out.update(w for w in _WORD.findall(HANDLE_RE.sub(" ", value)) if len(w) > 1)
    elif depth < 64 and isinstance(value, Mapping):
        for v in value.values():
            _words_of(v, out, depth + 1)
    elif depth < 64 and isinstance(value, (list, tuple)):
        for v in value:
            _words_of(v, out, depth + 1)
    return out


def _zeros_lost(text: str, idx: _Index) -> bool:
    """Whether a tracked digit token is in the text only with leading zeros put back (`_digits_of`)."""
    digits, _, padded = _digits_of(text).partition("|")
    return bool(padded) and any(t not in digits for t in idx.digits_in(padded))


def _units_of(texts: list[str]) -> list[tuple[str, tuple[int, int], int]]:
    """The digit units of several texts, each group made unique to its text."""
    return [(d, (i, g), k) for i, t in enumerate(texts) for d, g, k in _digit_units(t)]


READ_LIMIT = 1 << 18
"""The characters a text is read as, with each handle's value (its ends) in its place (`handles_read`):
a handle repeated in an argument would otherwise make kilobytes as written megabytes as read."""


class ReadTooLong(VfaError, ValueError):
    """An argument that, read as its recipient reads it (its handles' values in place), is longer than
    `READ_LIMIT`: not labelled, so the call is denied."""


MADE_FROM = "made-from:"
"""The mark of the sources a call made inside another call's effect is tainted with (`_made`): what its
text may carry, not a value found in it, so no approval covers it (`guards._privacy._BLIND`)."""


def _made(label: Label) -> Label:
    """The taint of a call made from arguments of `label`: their readers and trust, their sources marked
    `MADE_FROM` (an approval of one text the inner agent wrote says nothing of the next, as for what
    the model read under `context_taint="private"`)."""
    marked = frozenset(s if s == "user" or s.startswith(MADE_FROM) else MADE_FROM + s for s in label.sources)
    return label if marked == label.sources else label.model_copy(update={"sources": marked})


def _minted_before_a_read(idx: _Index, h: Handle | None) -> bool:
    """Whether `h` is a handle a tool computed (`Handle.derived`) before a result the model read in clear
    (or one not among the thread's results): the model mints as many of those as it likes, with values it
    chose (`compute(«name», "replace", ..., new="digit 4")`), so which one it picks after the read may spell
    what it read. One computed after the last such read carries that read in its own label already."""
    if h is None or not h.derived:
        return False
    obs = idx.obs
    at = next((i for i in range(len(obs) - 1, -1, -1) if obs[i].text == h.token), None)
    return at is None or any(o.read is not None for o in obs[at + 1:])
