"""Labelling a tool result: `PrivacyFlow.record` and what it builds on (observations shared between
equal results, handles minted for private fields, values tracked, results computed from handles)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from vfa import PUBLIC, Label
from vfa._jsontext import json_text

from ._forms import (MIN_DIGITS, _NOT_DIGIT, _SUPERSCRIPT, _SUPERSCRIPTS, _all_strings, _escaped, _fold, _grouped_numbers, _low, _norm, _norm_of, _num, _text, _token_numbers, _track_forms,
                     _word_norms, _written_readings)
from ._handles import HANDLE_RE, _parts, has_marks
from ._index import _SEARCH_BUDGET, _Needles
from ._observation import _NO_KEYS, Observation, _grounds_nothing, _join, _join_all, _join_many, _read, _read_inputs, _read_of, _readable_by, _taint_of, _tainted
from ._privacy_decl import Source, _in_its_script, readers_in, senders_told
from ._walk import _blob_source, _is_blocks, _is_text_blocks, _opaque, _Record, _Walk, _WalkContext

_LETTER = re.compile(r"[^\W\d_]")
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


_SHOWN_DIGITS = re.compile(r"\d(?:[\s\-\u2010-\u2015\u2212./()+_]{1,3}\d|\d)*")
"""Digits as a result may group one number (spaces, dashes of any kind, dots, slashes, brackets, plus,
underscores; never commas, which part numbers in a list)."""


_RAISED = re.compile(r"(?<![\d.,])(\d+)(?:[.,](\d+))?\s*(?:[eE]|(?:[xX×*·⋅]|\\times|\\cdot)\s*10\s*(?:\^|\*\*)(?:\s*[({])?)"
                     r"\s*([-+]?\d{1,3})[)}]?(?!\d)")
"""A number in exponent form as a sheet, a float's repr or a text writes it (8.43E+04; 8,43E+04 where the
decimal mark is a comma; 8.43×10^4, 8.43·10⁴ as `_forms._EXPONENT` reads them), starting where its digits do
(one `\\s*` reads a run of white space, as there: linear in it)."""
_NOT_NUMERIC = re.compile(r"[^\d\s.,'’_\u066b\u066c]")
"""What stands around a result's numbers but is none of their marks (a unit, a key, a currency code, a
sign), read as a space: "84,300/yr", "salary=84,300", "US$84,300.00" and "-84,300" show 84,300."""


def _raised(text: str, folded: str) -> list[str]:
    """The numbers a text (`folded`: `_fold` of it) writes in exponent form (`_RAISED`), in `_num` form; an
    exponent in superscript digits read before folding makes them ordinary digits (10⁴ is no 104)."""
    if not text.isascii() and _SUPERSCRIPT.search(text):
        folded = _fold(_SUPERSCRIPT.sub(lambda m: "^" + m.group(1).translate(_SUPERSCRIPTS), text))
    return [_num(f"{m.group(1)}.{m.group(2) or 0}e{m.group(3)}") for m in _RAISED.finditer(folded)]


def _loose(text: str) -> str:
    """A text folded to lower case with its runs of white space as one space."""
    return " ".join(_low(text).split())


def _block_text(blocks: list[dict[str, Any]]) -> str:
    """Text blocks as the model may read them, a line each: their texts run together (a word may be cut
    between two blocks), their texts a line each (so may a run of words), then every other text they
    hold (a citation's quoted text, keys too)."""
    texts = [str(b.get("text", "")) for b in blocks]
    rest = [t for b in blocks for t in _all_strings({k: v for k, v in b.items() if k not in ("type", "text")})]
    return "\n".join(["".join(texts), *(texts if len(texts) > 1 else ()), *rest])


def _record_values(value: Any) -> list[str]:
    """The texts of a record's values, its field names left out (a result naming a field shows no value)."""
    return [_text(v) for v in _parts(value) if v is not None]


class _Unlabelled(Observation):
    """A result the flow could not label, shown to the model as a placeholder naming the failure."""

    __slots__ = ()


class _Results:
    """`PrivacyFlow`'s labelling of results (its state is set up in `PrivacyFlow.__init__`)."""

    def record(self, thread_id: str, call_id: str, tool: str, decl: Source | None, result: Any,
               inputs: Iterable[Label] = (), secrets: list[Label] | tuple[()] = (),
               hidden_as: Label | None = None, args: Any = None) -> Observation:
        """Label one tool result and remember it for the thread; returns the observation (see `_record`).
        `args`: the call's arguments, read for what they hold together (`PrivacyFlow._echo`).
        `hidden_as`: for a result shown as one handle, the readers and trust the live flow gave it (an
        audit of the messages, which hold the handle, not the result its label came from).

        A result that cannot be labelled (one nested past what the walk reads, a value that raises when
        read) is not shown: the model reads a placeholder naming the failure, which is remembered as
        what the call showed, so the live run, a rebuild of the thread and an audit all read the same
        and none of them raises again."""
        try:
            return self._record(thread_id, call_id, tool, decl, result, inputs, secrets, hidden_as, args)
        except Exception as exc:  # noqa: BLE001 - fail closed: what is not labelled is not shown
            return self._remember(thread_id, call_id, _Unlabelled(
                call_id, tool, text=f"the result could not be labelled ({type(exc).__name__}); it is not shown"))

    def labelled(self, thread_id: str, call_id: str) -> bool:
        """Whether the result of a call on a thread was labelled (not one shown as a placeholder, `record`):
        an audit of an agent that ran without vfa, whose model read the whole result, cannot read it so."""
        with self._lock:
            return not isinstance(self._obs.get((thread_id, call_id)), _Unlabelled)

    def _record(self, thread_id: str, call_id: str, tool: str, decl: Source | None, result: Any,
                inputs: Iterable[Label] = (), secrets: list[Label] | tuple[()] = (),
                hidden_as: Label | None = None, args: Any = None) -> Observation:
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
        private to their readers, and tracked. So is the result of a tool declared pure (computed
        from its arguments alone) whose arguments carry private data though no handle.
        """
        computed = bool(secrets)
        inputs = inputs if isinstance(inputs, (list, tuple)) else tuple(inputs)
        # a pure tool given no handle computed its result from what the model wrote: the model could
        # compute it itself, so hiding it for showing a handle's value would only tell whether it does
        if not secrets and self.store.has_thread(thread_id) and not (decl is not None and decl.pure and inputs):
            # it shows a value the model may only see as a handle (the world held it): all of it is
            # hidden, not the value alone, or a list of guesses would come back with the right one marked
            secrets = self._shown_secrets(thread_id, result)
        if secrets:
            obs = self._observation(thread_id, call_id, tool, decl, result, inputs, share=False, mint=False)
            # hidden, it is out of value tracking's reach: it carries the readers of every argument it
            # was computed from, not only of the handles (a text written beside one would go where it may)
            secrets = [*secrets, *(lbl for lbl in inputs if lbl.readers is not None)]
            echo = self._echo(thread_id, inputs, args) if self.handles else None
            found = echo(PUBLIC, result) if echo is not None else PUBLIC
            if found.readers is not None:  # and of a value it shows that the arguments gave in pieces (a draft appended to)
                secrets.append(found)
            obs = self._derived(obs, result, secrets, thread_id, tool, hide=self.handles, computed=computed,
                                hidden_as=hidden_as)
            if obs.keys:  # a record it names, sent by its key, holds what it shows (a draft copied): as private
                shown = _join_all([Label(readers=s.readers, sources=s.sources) for s in secrets if s.readers is not None])
                shown = shown if found.readers is None else _join(shown, found)  # the values an argument completed
                obs.keys = {key: _join(lbl, shown) for key, lbl in obs.keys.items()}
            return self._remember(thread_id, call_id, obs)
        if decl is not None and decl.pure:
            # computed from its arguments alone, so from what the model wrote: it vouches for nothing (an
            # echo of the model's words is not a trusted tool's), and it is private to their readers and
            # tracked like them (shown as it is: the model read what it was computed from)
            private = [lbl for lbl in inputs if lbl.readers is not None]
            obs = self._observation(thread_id, call_id, tool, decl, result, inputs, share=not private, mint=not private,
                                    args=args)
            if private and not isinstance(result, bool) and result is not None:
                obs = self._derived(obs, result, private, thread_id, tool, hide=False)
            obs = _grounds_nothing(obs)
            return self._remember(thread_id, call_id, _read_inputs(obs, inputs) if self.reads_taint else obs)
        obs = self._observation(thread_id, call_id, tool, decl, result, inputs, args=args)
        return self._remember(thread_id, call_id, _read_inputs(obs, inputs) if self.reads_taint else obs)

    def _derived(self, obs: Observation, result: Any, secrets: list[Label], thread_id: str, tool: str, *,
                 hide: bool, computed: bool = True, hidden_as: Label | None = None) -> Observation:
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
            trusted = obs.label.trusted and obs.untrusted is None
            if hidden_as is not None:  # as the live flow labelled the result (an audit reads its handle)
                readers, trusted = hidden_as.readers, hidden_as.trusted
                if trusted:
                    # its trust is the live flow's word, taint included: the handle's own text, labelled by
                    # the tool's declaration (an untrusted source), is not what the live flow read
                    obs.untrusted = None
            sources = {f"tool:{tool}", f"derived:{tool}#{obs.call_id}"}
            # what the secrets were derived from, not the secrets' own derived names: those stand for
            # nothing but their call, and a record read again and again would pile them up (a poll of
            # the balance would carry every earlier poll)
            sources.update(s if s.startswith("derived-from:") else f"derived-from:{s}"
                           for s in lbl.sources if not s.startswith(("tool:", "derived:")))
            whole = Label(readers=readers, sources=frozenset(sources), trusted=trusted)
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
            obs.read, obs.read_parts, obs._read_words = None, (), None  # nor was it read (`context_taint="private"`)
            return obs
        obs.label = _join(obs.label, lbl)
        try:
            value = json.loads(obs.text) if not isinstance(result, str) else obs.text
        except ValueError:
            value = obs.text
        if self.reads_taint:  # shown in clear: the model read what it was computed from
            _read(obs, lbl, list(_all_strings(value)))
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
                     inputs: Iterable[Label], *, share: bool = True, mint: bool = True, args: Any = None) -> Observation:
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
                # as a whole (content blocks too, unless all are text blocks and `text` is itself declared)
                if isinstance(result, str):
                    ctx = self._context(_blob_source(decl), tool)
                elif _is_blocks(result) and not (ctx.text and _is_text_blocks(result)):
                    # text blocks by what the model reads of them (`_block_text`); blocks of other
                    # kinds (an image, reasoning) whole
                    text = _block_text(result) if _is_text_blocks(result) else _SHOWN(result)
                    # not shared: its text is set below, and an observation from the memo is everyone's
                    obs = self._observation(thread_id, call_id, tool, _blob_source(decl), text, inputs,
                                            share=False, mint=mint, args=args)
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
            taint = _taint_of(tainted) if tainted else None
            read = _read_of(inputs) if self.reads_taint else None
            if read is not None:
                # a handle minted from arguments that carry what the model read carries it too: one alone is
                # exempt from the strict context, so a tool echoing a paraphrase under a field of wider
                # readers (a draft's body, its recipient's) would hand it on as theirs
                taint = read if taint is None else _join(taint, read)
            # a private argument written in clear, echoed under a field of wider readers (a draft's body, its
            # recipient's), would stand behind a handle of the field's label: its value is read as tracking reads it
            echo = self._echo(thread_id, inputs, args) if mint and self.handles and ctx.handled else None
            shown = self._walk(result, ctx, thread_id, call_id, obs, trusted, mint, taint, echo)
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

    def _values_of(self, thread_id: str) -> tuple[_Needles, _Needles, _Needles, _Needles, _Needles, _Needles]:
        """The texts of a thread's handle values as a result would show them, raw and JSON-escaped
        (values of fewer than three characters left out), and each text's handle label; the normal
        forms of those of at least `MIN_NORMED` letters and digits with theirs; the digits of those
        with at least `MIN_DIGITS` (also without leading zeros: a column of integers drops them); and
        the words of those of several words, folded to lower case and one space (an address in
        capitals, over two lines); and the numbers of those that are one number of three characters or
        more, in `_num` form between bars (a salary 84300 shown as "84,300" or "84300.00"), and their digits
        (looked for first: most results show none of them); extended when
        the thread minted more (a long thread's handles are read once each, not on every result)."""
        hit = self._handle_forms.get(thread_id)
        start = 0
        if hit is not None:
            count, last, out = hit
            total, before, handles = self.store.tail(thread_id, count)
            # a thread's handles are only ever appended, unless the store dropped the thread since
            if count <= total and (count == 0 or before is last):
                if count == total:
                    return out
                start = count
            else:
                handles = self.store.of_thread(thread_id)
        else:
            handles = self.store.of_thread(thread_id)
        forms: list[str] = []
        labels: list[Label] = []
        normed: list[str] = []
        normed_labels: list[Label] = []
        digits: list[str] = []
        digit_labels: list[Label] = []
        phrases: list[str] = []
        phrase_labels: list[Label] = []
        numbers: list[str] = []
        number_labels: list[Label] = []
        number_digits: list[str] = []
        for h in handles:
            if h.derived and (isinstance(h.value, bool) or h.value is None):
                # a computed yes or no is in half of all texts: searched for, it would hide them all
                continue
            # a handle of a record (a private field holding one) stands for each of its values too; not a
            # result hidden whole (derived): its other values are no secret of their own (a file's path)
            for t in [_text(h.value), *(_record_values(h.value) if not h.derived else ())]:
                more = [t, _STRICT(t)[1:-1]] if len(t) >= 3 else []
                if isinstance(h.value, float):  # also as JSON writes it (1e+16, 4.2e-07)
                    more.append(_STRICT(h.value))
                forms += more
                labels += [h.label] * len(more)
                if len(n := _norm_of(t)) >= MIN_NORMED:
                    normed.append(n)
                    normed_labels.append(h.label)
                d = _NOT_DIGIT.sub("", _fold(t))
                if len(d) >= MIN_DIGITS:
                    ds = {d, d.lstrip("0")} if len(d.lstrip("0")) >= MIN_DIGITS - 1 else {d}
                    digits += ds
                    digit_labels += [h.label] * len(ds)
                p = _loose(t)
                if " " in p and len(n) >= MIN_NORMED and not p.replace(" ", "").isdigit():
                    phrases.append(p)
                    phrase_labels.append(h.label)
                if len(t) >= 3 and d and _LETTER.search(t) is None and len(t.split()) == 1:
                    # without its sign too: a result's signs are read as spaces (a debit shown as "84,300")
                    got = [f"|{x}|" for x in {y for x in _token_numbers(t) for y in (x, x.lstrip("-"))}]
                    numbers += got
                    number_labels += [h.label] * len(got)
                    number_digits += [_NOT_DIGIT.sub("", x) for x in got]
        if start:
            out = (out[0].extended(forms, labels), out[1].extended(normed, normed_labels),
                   out[2].extended(digits, digit_labels), out[3].extended(phrases, phrase_labels),
                   out[4].extended(numbers, number_labels), out[5].extended(number_digits))
        else:
            out = (_Needles(forms, labels), _Needles(normed, normed_labels), _Needles(digits, digit_labels),
                   _Needles(phrases, phrase_labels), _Needles(numbers, number_labels), _Needles(number_digits))
        with self._lock:
            self._handle_forms[thread_id] = (start + len(handles), handles[-1] if handles else last if start else None, out)
        return out

    def _shown_secrets(self, thread_id: str, result: Any) -> list[Label]:
        """The labels of the thread's handles whose value a result shows."""
        forms, normed, digits, phrases, numbers, number_digits = self._values_of(thread_id)
        if not len(forms):
            return []
        text = result if isinstance(result, str) else _SHOWN(result)
        found = [forms.label(i) for i in forms.found_in(text)]
        # a number written as another system writes it: grouped, with decimals (84,300.00); read only
        # when the text's digits hold one's
        folded = _fold(text)  # digits of every script as ASCII (٨٤٬٣٠٠, ８４，３００); once for every search
        raised = _raised(text, folded) if len(numbers) else []
        if len(numbers) and number_digits.found_in("|".join((_NOT_DIGIT.sub("", folded), *raised))):
            bare = _NOT_NUMERIC.sub(" ", folded)
            shown = (_token_numbers(folded.replace('"', " ")) | _grouped_numbers(folded) | _token_numbers(bare)
                     | _grouped_numbers(bare) | set(raised))
            if shown:
                found += [numbers.label(i) for i in numbers.found_in("|" + "||".join(sorted(shown)) + "|")]
        # a value written as another system writes it: its digits grouped otherwise or without their
        # leading zeros (078 05-1120, 78051120, +1 555-0142), its words in other case or over lines
        if len(digits) or len(phrases):
            if len(digits):
                runs = "|".join(_NOT_DIGIT.sub("", m.group(0)) for m in _SHOWN_DIGITS.finditer(folded))
                found += [digits.label(i) for i in digits.found_in(runs)]
            if len(phrases):  # JSON's escaped line breaks and tabs read as the white space they stand for
                loose = " ".join(_low(text).replace("\\n", " ").replace("\\t", " ").split())
                found += [phrases.label(i) for i in phrases.found_in(loose)]
        # also with case and punctuation ignored inside one word, for values long enough to mean
        # something (a stored SSN written 078051120, a salary 84,300.75); never across words, or
        # unrelated numbers side by side ("11.99, 0.04") would spell a date of birth. The words'
        # normal forms run together are the text's: a value in none of them needs no word split.
        # escapes as letters, and as written (`_written_readings`)
        readings = (text, *(w for (w,) in _written_readings([text]))) if _escaped(text) else (text,)
        for reading in readings if len(normed) else ():
            maybe = normed.found_in(_norm(reading))
            if maybe:
                words = _word_norms(reading)
                if len(maybe) * len(words) > _SEARCH_BUDGET:  # every one taken to occur, as `found_in` takes them
                    found += [normed.label(i) for i in maybe]
                else:
                    found += [normed.label(i) for i in maybe if normed[i] in words]
        return found

    def _walk(self, result: Any, ctx: _WalkContext, thread_id: str, call_id: str, obs: Observation,
              trusted: list[Any], mint: bool = True, taint: Label | None = None,
              echo: Callable[[Label, Any], Label] | None = None) -> Any:
        """What the model sees of a declared result: every part labelled, private fields handled or tracked.

        One recursive pass (`_Walk`). A record's fields are labelled by a plan made once per (record,
        field names): each field's name, labels and whether it is private or handled. A leaf's path (for
        its handle) is built only when the declaration hands out handles. Trusted leaves are kept as they
        are and turned into text only when grounding needs it.
        """
        w = _Walk(ctx, self, thread_id, call_id, obs, trusted, mint, taint, echo)
        if isinstance(result, dict):
            shown = w.walk_dict(result, "", None)
        elif isinstance(result, (list, tuple)):
            shown = w.walk_list(result, "", None, ctx.root)
        elif isinstance(result, str) and "«" in result and w.echoed(result):
            shown = result
        else:
            e = w.opaque(ctx.root) if _opaque(result) else ctx.root  # an object: as its whole text
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
        # whether each field's mailboxes are told too: two fields naming the same readers may differ in it
        who = tuple((readers_in(node.get(f)), senders_told(node.get(f))) for f in decl.readers_from)
        memo = (id(decl), tool, kind, str(node[decl.key]) if decl.key and decl.key in node else None, who)
        hit = self._records.get(memo)
        if hit is None or hit[0] is not decl:  # an id a collected declaration had may come again
            if len(self._records) > 4096:
                self._records.clear()
            hit = self._records[memo] = (decl, _Record(*self._record_label(node, decl, tool, kind)))
        return hit[1]

    def _record_label(self, node: Mapping[str, Any], decl: Source, tool: str,
                      kind: str) -> tuple[Label, frozenset[str], frozenset[str]]:
        """The record's label, its tags (for grants), and the tags that may vouch for its content
        (`trusted_sources`): a field's only where the policy trusts every principal it names."""
        sources = {f"tool:{tool}"}
        if decl.key and decl.key in node:
            key = str(node[decl.key])  # a private key goes by a digest: a denial reads its sources out
            if decl.key in decl.private:
                self.private_keys.add(kind)
                sources.add(f"{kind}:{self.store.digest(key)}")
            else:
                sources.add(f"{kind}:{key}")
        tags = set(sources)
        # a key spelled as a field's tag ('from:larry@...', a Message-ID the sender wrote) vouches for nothing
        vouching = {s for s in sources if not any(s.startswith(f"{kind}:{f}:") for f in decl.readers_from)}
        readers: set[str] | None = set(self.policy.user)
        for f in decl.readers_from:
            who = readers_in(node.get(f))
            named = {f"{kind}:{f}:{p}" for p in who}
            tags |= named
            if self.policy.trusted_sources and senders_told(node.get(f)) and self.policy.trusts_all(f"{kind}:{f}:", who):
                # with each domain in its own script too, as `trusts_all` reads them: the pattern may name it so
                vouching |= named | {f"{kind}:{f}:{s}" for s in map(_in_its_script, who) if s is not None}
            if "*" in who:
                readers = None
            elif readers is not None:
                readers |= who
        lbl = Label(readers=None if readers is None else frozenset(readers), sources=frozenset(sources))
        return lbl, frozenset(tags), frozenset(vouching)

    def _leaf_label_of(self, name: str, decl: Source, tool: str, kind: str,
                       record: _Record | None) -> tuple[Label, Label | None, bool]:
        base, tags, vouching = ((record.label, record.tags, record.vouching) if record is not None else
                                (Label(readers=frozenset(self.policy.user), sources=frozenset({f"tool:{tool}"})),
                                 frozenset(), frozenset({f"tool:{tool}"})))
        # its sources but a key spelled as a tag; an error text is no source's content: the policy vouches for none
        untrusted = decl.is_untrusted(name) and (decl.failure or not self.policy.trusts(vouching))
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
            if len(self._grants) >= 4096:  # keyed by a record's key too: one entry per record ever read
                self._grants.clear()
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
