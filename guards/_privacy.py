"""The privacy guard: denies a call that discloses data to someone its labels forbid, or whose authority
arguments come from untrusted content. Only a person can declassify, through `interrupt()`.

Rules, checked on every proposal from the labels `PrivacyFlow` attached (never from the model's words):

- confidentiality: every recipient of a disclosing argument (`Sink.disclose`) must be among the readers
  of every value in it, of any record it refers to (`Sink.refers`), or be the user;
- integrity: an argument needing the user's authority (`Sink.authority`) must not carry an untrusted label;
- handles: a handle-shaped token this thread never minted is a forgery (or a handle from another thread).

A tool without a `Sink` declaration is assumed to publish every argument (fail closed).
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from vfa import ALLOW, PUBLIC, Allow, Deny, Escalate, Label, PolicyError, Proposal, ToolSpec
from vfa._escalation import LATE_ANSWER
from vfa._lc_tools import _shown_names
from vfa._tools import INJECTED

from ._forms import _digit_units, _strings_of, text_ends
from ._handles import HANDLE_RE, has_marks
from ._observation import _join_each
from ._privacy_decl import (
    PUBLIC_SINK,
    Sink,
    reaches_only,
    recipients_of,
    sink_of,
    source_of,
    unreadable_recipients,
)

__all__ = ["APPROVE_FOR_RECIPIENT", "APPROVE_ONCE", "REJECT", "PrivacyGuard", "PrivacyLintWarning", "FlowViolation"]

APPROVE_ONCE: dict[str, Any] = {"type": "approve"}
"""A person's answer that lets this one call through."""
APPROVE_FOR_RECIPIENT: dict[str, Any] = {"type": "approve", "scope": "recipient"}
"""A person's answer that also lets later disclosures by the same tool to the same recipients through
(on this thread), of data from the origins (sources) and of the private values this one approval covered
(two approvals are not pooled): data from another origin, or another value of the same field (another
card's number), asks again. It is read back from the journal's `approved` entries, which only an answer to
`interrupt()` can write: no tool output or prompt can create one."""
REJECT: dict[str, Any] = {"type": "reject"}

class PrivacyLintWarning(UserWarning):
    """A privacy declaration that is allowed but probably wrong (see `PrivacyGuard.lint`)."""


_UNSEEN = "unseen-record"
ABSTRACT_PRINCIPALS = frozenset({"user"})
"""Principals that stand for the user in labels but are no address: an argument naming one names nobody."""
_PUBLIC_RECIPIENTS = frozenset({PUBLIC_SINK})



@dataclass(frozen=True)
class FlowViolation:
    """One forbidden flow in one call: the rule, the argument, the sink, the recipients and the origin."""

    call_id: str
    tool: str
    rule: str
    """"confidentiality", "integrity", "handle" or "recipient"."""
    arg: str
    sink: str
    """Where the data would go, e.g. "send_email.body -> to"."""
    recipients: tuple[str, ...]
    """For confidentiality: the recipients who may not read it."""
    origin: tuple[str, ...]
    """The label's sources: the tools, records and fields the value came from."""
    readers: tuple[str, ...] | None
    message: str
    across: bool = False
    """For confidentiality: found only with what earlier calls sent the recipients (`_across_calls`)."""

    def as_dict(self) -> dict[str, Any]:
        # what dataclasses.asdict gives (the fields are strings and tuples of strings), without its deep copy
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "across" or self.across}


class PrivacyGuard:
    """Checks a proposal's labels against its tool's sink declaration; see the module docstring.

    Args:
        flow: the `PrivacyFlow` that labels this agent's arguments (its policy decides deny or ask).
        journal: where a person's approvals are read from; default: the flow's journal.
        inline: run in the guard node's thread (the default), right after the flow labelled the
            arguments, instead of on the guard worker under a deadline. The check is deterministic and
            its work is bounded by what the flow's `label` hook (which has no deadline either) just did
            over the same arguments and the same index, so a deadline would protect nothing; running it
            inline spares a thread handoff per proposal. A raise still denies.
    """

    name = "privacy"
    tools = None
    timeout_s = None
    reads_handles = True
    """It judges the call as the model wrote it (its handles and their labels), where every other guard
    judges the values the effect would receive (`GuardChain.verify`)."""

    def __init__(self, flow: Any, *, journal: Any = None, inline: bool = True) -> None:
        if not callable(getattr(flow, "label", None)) or not hasattr(flow, "policy"):
            raise TypeError(f"PrivacyGuard judges by a PrivacyFlow's labels (flow.guard()), not {type(flow).__name__}")
        if journal is not None and not callable(getattr(journal, "entries", None)):
            raise TypeError(f"journal must be a vfa EffectJournal (where approvals are read), not {type(journal).__name__}")
        if not isinstance(inline, bool):  # "no" would read as true
            raise TypeError(f"inline must be True or False, not {inline!r:.60}")
        self.flow = flow
        self.journal = journal
        self.inline = inline

    def __repr__(self) -> str:
        journal = "" if self.journal is None else f", journal={self.journal!r}"
        return f"PrivacyGuard(flow={self.flow!r}{journal}, inline={self.inline!r})"

    # -- the guard protocol ----------------------------------------------------------------------

    def check(self, proposal: Proposal, context: Any) -> Any:
        spec = getattr(context, "tool", None)
        if spec is not None and not self._labels(spec):
            return Deny(reason=f"the privacy guard's flow does not label the calls of {proposal.tool!r}, so it "
                        "cannot tell what they carry; give the agent the guard's own flow (`Agent(model, tools, "
                        "guards=[flow.guard()], flow=flow)`); nothing was run")
        if not proposal.args:
            return ALLOW  # no argument: nothing disclosed, nothing that needs authority, no handle (`_violations`)
        decl = sink_of(spec.meta) if spec is not None else None
        # a record referred to carries the labels of every result that showed it on the thread, as the
        # flow's `label` counts every result (one whose message was trimmed from the state too)
        found = self._violations(proposal, decl, None, spec)
        if not found:
            return ALLOW
        # only a disclosure to named recipients can have been approved: read the journal only then
        asks = self.flow.policy.on_violation == "ask"
        approvable = any(v.rule == "confidentiality" and v.recipients for v in found)
        approved = self._approved(proposal.thread_id, context.journal, proposal.call_id,
                                  _lineage(getattr(context, "state", None), getattr(self.flow, "_message_keys", ("messages",)))
                                  ) if approvable else {}
        # what a question records and an approval covers: the private values each recipient would
        # receive from this call (computed once a person may be asked, or may have approved)
        values = self._values(proposal, decl, found) if approvable and (asks or approved) else {}
        # covered only when, for every recipient, one approval for this tool holds every origin of the
        # data this call discloses to them and every private value it does: two approvals are not pooled
        # (one field's value approved and another field approved with another value cover neither pair)
        origins: dict[str, set[str]] = {}
        for v in found:
            if v.rule == "confidentiality":
                for r in v.recipients:
                    origins.setdefault(r, set()).update(v.origin)
        open_: list[FlowViolation] = []
        cited: dict[tuple[Any, ...], dict[str, Any]] = {}  # the approvals that cover what is not open
        for v in found:
            covers = [next((c for o, x, c in approved.get((v.tool, r), ()) if origins[r] <= o and values.get(r, _UNKNOWN) <= x),
                           None) for r in v.recipients] if v.rule == "confidentiality" and v.recipients and not _blind(v) else [None]
            if None in covers:
                open_.append(v)
            else:
                cited.update((tuple(c.values()), c) for c in covers)
        if not open_:
            # the approvals it ran under, journaled with its verdict: an audit ties the flow to a person's word
            return Allow(evidence={"approved": list(cited.values())}) if cited else ALLOW
        evidence = {"violations": [v.as_dict() for v in open_], "tool": proposal.tool,
                    "recipients": sorted({r for v in open_ for r in v.recipients})}
        if asks and all(v.rule not in ("handle", "recipient") for v in open_):
            # the digests are journaled with the question, for the approval to cover; never shown to the model
            # the person reads the whole violations (`_violations`); what is traced of a question holds no
            # reader, which may be a private field's value (a bcc)
            # what earlier approvals covered runs on this answer too: cited, as an allow cites them
            return Escalate(question=_question(proposal, open_), evidence={
                **evidence, "violations": [_asked(v) for v in open_], "_violations": evidence["violations"],
                "values": {r: sorted(x - _UNKNOWN) for r, x in values.items() if r in evidence["recipients"]},
                **({"approved": list(cited.values())} if cited else {})})
        # the model reads a denial: it is told the rule, the argument, the sink and where the data came
        # from (`_told`), each once, however many recipients it concerns (how many may not read is
        # withheld too); the whole violations (readers, recipients, records) are kept for the journal
        told = list({tuple(t.values()): t for t in map(_told, open_)}.values())
        more = f" (and {len(told) - 1} more)" if len(told) > 1 else ""
        return Deny(reason=told[0]["message"] + more, evidence={
            "violations": told, "tool": proposal.tool,
            "_violations": evidence["violations"], "_recipients": evidence["recipients"]})

    def _labels(self, spec: ToolSpec) -> bool:
        """Whether this guard's flow labels the calls of a tool (it was bound to the tool's guard node);
        a flow that does not say which tools it serves is taken at its word."""
        bound = getattr(self.flow, "bound", None)
        if bound is None:
            return True
        name = spec.name
        for tools in bound():
            if tools.get(name) is spec:
                return True
        return False

    def _values(self, proposal: Proposal, decl: Sink | None, found: list[FlowViolation]) -> dict[str, frozenset[str]]:
        """Recipient -> the digests of the private values this call discloses to them: every argument the
        recipient receives, joined both ways (a value split across arguments is one value), and the
        records those arguments refer to, and what they join with of what the recipient received before
        (`_across_calls`); for the recipients of the confidentiality violations found."""
        flow, thread, args = self.flow, proposal.thread_id, proposal.args
        plan = _plan_for(decl, args)
        refers = plan.decl.refers
        audiences = _audiences(plan, args)
        wanted = {r for v in found if v.rule == "confidentiality" for r in v.recipients}
        receives = {r: names for names, rs in _joined(audiences, flow.policy.addresses).items() for r in rs}
        published = receives.get(PUBLIC_SINK, ())  # what reaches everyone reaches one named only earlier too
        # recipients who receive the same arguments after the same earlier texts share their values
        by_args: dict[tuple[tuple[str, ...], tuple[str, ...]], frozenset[str]] = {}
        out: dict[str, frozenset[str]] = {}
        values_in = getattr(flow, "values_in", None)
        # a recipient whose violation is a value cut across calls: what forms with what they received before counts too
        across = {r for v in found if v.across for r in v.recipients}
        before = self._received_before(thread, flow.policy.addresses) if across else {}
        for r in sorted(wanted):
            names = receives.get(r, published)
            earlier = _earlier_for(before, r) if r in across else []
            # what a recipient received before joins what they receive now (a value cut across calls)
            key = (names, tuple(earlier))
            got = by_args.get(key)
            if got is None:
                more: set[str] = set()
                if values_in is not None:
                    # read as labelling reads them (every leaf), and joined as the check joins them (the
                    # texts of every argument the recipient receives, in order): a value found either way counts
                    read = _readings(proposal, names)
                    more.update(values_in(read, thread))
                    more.update(values_in((), thread, [t for v in read for t in _strings_of(v)]))
                    if earlier:
                        more.update(_formed_across(flow, thread, earlier, [t for v in read for t in _strings_of(v)]))
                for a in names:
                    if a in refers:
                        kind = refers[a]
                        keys = _lookup_keys(flow, thread, args[a], kind in getattr(flow, "private_keys", ()))
                        more.update(flow.store.digest(f"record\0{kind}\0{k}") for k in (
                            keys if isinstance(keys, list) else [keys]))
                # a confidentiality violation with no value named: what it discloses is not known,
                # so no approval covers it (fail closed)
                got = by_args[key] = frozenset(more) or _UNKNOWN
            out[r] = got
        return out

    def lint(self, specs: Mapping[str, ToolSpec]) -> None:
        """Raise `PolicyError` for an agent whose flow is not this guard's (its labels would all be
        missing: nothing denied) and for a sink declaration naming arguments its tool does not have."""
        if any(not self._labels(spec) for spec in specs.values()):
            raise PolicyError("the privacy guard's flow is not the agent's flow, so no call it checks is labelled; "
                              "pass the same flow to both: `Agent(model, tools, guards=[flow.guard()], flow=flow)`")
        for name, spec in specs.items():
            _lint_public_read(name, spec)
            decl = sink_of(spec.meta)
            injected = spec.meta.get(INJECTED) or {}
            if decl is not None:
                # a JSON schema's properties no field can bear ("to-address", "_cc") are arguments too
                fields = set(spec.args_model.model_fields) | _shown_names(spec.source)
                written = set(decl.disclose) | {r for r in decl.disclose.values() if r != PUBLIC_SINK} | set(
                    decl.authority) | set(decl.refers)
                hidden = sorted(a for a in written if injected.get(a, "arg") != "arg")
                if hidden:
                    raise PolicyError(
                        f"privacy sink of {name!r} names {hidden}, which the ToolNode injects: the model does not "
                        "write them, so the guard knows no label of theirs; what a tool discloses must reach it as "
                        "arguments the model writes (declare an injected argument `internal` if the tool keeps it)")
                unknown = sorted((written | decl.internal) - fields - set(injected))
                if unknown:
                    raise PolicyError(f"privacy sink of {name!r} names unknown arguments {unknown}; "
                                      f"its arguments are {sorted(fields)}")
            # state, store and runtime reach the tool past every guard; a tool that may disclose them
            # would disclose the conversation unchecked, so it must say it keeps them (fail closed)
            unsaid = sorted(a for a, kind in injected.items()
                            if kind not in ("call_id", "arg") and (decl is None or a not in decl.internal))
            if unsaid:
                raise PolicyError(
                    f"tool {name!r} is given {unsaid} by the graph (state, store or runtime), which no guard "
                    "sees and the privacy flow cannot label, and no privacy sink of it says the tool keeps them "
                    f"to itself; if it discloses them to nobody, declare `privacy_sink(internal={unsaid})`, else "
                    "have the model pass what it sends as arguments (handles), which the guard checks")

    # -- the rules -------------------------------------------------------------------------------

    def violations(self, proposal: Proposal, spec: ToolSpec | None, calls: set[str] | None = None) -> list[FlowViolation]:
        """Every forbidden flow in one proposal (empty when it may be committed)."""
        return self._violations(proposal, sink_of(spec.meta) if spec is not None else None, calls, spec)

    def _violations(self, proposal: Proposal, decl: Sink | None, calls: Collection[str] | None,
                    spec: ToolSpec | None = None) -> list[FlowViolation]:
        flow, thread = self.flow, proposal.thread_id
        out: list[FlowViolation] = []
        args = proposal.args
        if not args:
            return out  # no argument: nothing disclosed, nothing that needs authority, no handle
        marked = has_marks(args)
        if calls is None and _plain(proposal, decl, flow, marked):
            return out
        tokens = flow.store.tokens_in(args, marked)
        for token in (t for t in tokens if flow.store.get(t, thread) is None):  # forged or foreign
            out.append(FlowViolation(proposal.call_id, proposal.tool, "handle", _arg_of(proposal.args, token),
                                 proposal.tool, (), (f"forged-handle:{token}",), None,
                                 f"{proposal.tool} denied by privacy rule `handles are minted, never written`: "
                                 f"{token} was not issued on this thread (forged, or from another thread)"))
        plan = _plan_for(decl, args)
        decl = plan.decl
        if tokens:  # a recipients argument names people: a handle there would be read back in a denial
            for to in plan.targets:
                held = flow.store.tokens_in(args[to]) if to in args else ()
                if held:
                    out.append(FlowViolation(
                        proposal.call_id, proposal.tool, "handle", to, proposal.tool, (), tuple(held), None,
                        f"{proposal.tool} denied by privacy rule `recipients are written, never handles`: {to} "
                        f"holds {', '.join(held)}; name recipients by their addresses"))
        for to in plan.targets:  # whom a recipient reaches must be known, or no join per recipient holds
            odd = unreadable_recipients(args[to]) if to in args else ()
            if odd:
                out.append(FlowViolation(
                    proposal.call_id, proposal.tool, "recipient", to, proposal.tool, (), (), None,
                    f"{proposal.tool} denied by privacy rule `recipients are addresses`: {to} names a recipient "
                    "whose address cannot be read; write an address, or a name and <address>"))
        audiences = _audiences(plan, args)
        user = flow.policy.addresses
        for arg, to, recipients in audiences:
            lbl = proposal.labels.get(arg, PUBLIC)
            if arg in decl.refers:
                # a handle of a field names the record it was read from; a derived one (a value a
                # tool computed) is looked up as itself, an unseen record: resolving it would let a
                # denial name the record whose key equals a value the model may not read
                value = args[arg]
                key = _lookup_keys(flow, thread, value, decl.refers[arg] in getattr(flow, "private_keys", ()))
                lbl = lbl.join(self._referent(thread, decl.refers[arg], key, calls, value))
            if lbl.readers is None:
                continue  # public: it may flow to anyone
            readers = lbl.readers - ABSTRACT_PRINCIPALS  # "user" is no address: an argument "user" reads nothing
            bad = sorted(r for r in recipients if r not in user and r not in readers and not reaches_only(r, recipients))
            if bad:
                sink = f"{proposal.tool}.{arg} -> {'public' if to == PUBLIC_SINK else to}"
                origin = _origin(lbl)
                out.append(FlowViolation(
                    proposal.call_id, proposal.tool, "confidentiality", arg, sink, tuple(bad), origin,
                    None if lbl.readers is None else tuple(sorted(lbl.readers)),
                    f"{proposal.tool} denied by privacy rule `recipients must be readers`: {arg} carries data from "
                    f"{', '.join(origin) or 'an unseen record'} that {', '.join(bad)} may not read "
                    f"(readers: {', '.join(sorted(lbl.readers or ())) or 'nobody'}; sink: {sink})"))
        # What follows (values split across the arguments one recipient receives, and cut across calls)
        # is found by `content_label` alone, which finds only what value tracking holds on the thread:
        # with nothing held (`holds_values` false: no private value, digit token or text shown on it,
        # the thread's whole index, which `content_label` reads) it labels any texts, joined or not,
        # public, so neither step can name a violation, and both are skipped (as `_plain` skips the call).
        holds = getattr(flow, "holds_values", None)
        tracks = holds is None or holds(thread)
        # the arguments each recipient receives and their texts, read once for both steps
        groups = [(names, recipients, [t for v in _readings(proposal, names) for t in _strings_of(v)])
                  for names, recipients in _joined(audiences, user).items()] if tracks else []
        # a value split across the arguments one recipient receives: their texts joined
        for names, recipients, texts in groups:
            # one text is read for digits cut within it (two texts are joined besides)
            if not hasattr(flow, "content_label") or (len(texts) < 2 and not (texts and len(_digit_units(texts[0])) > 1)):
                continue
            lbl = flow.content_label(texts, thread)
            if lbl.readers is None:
                continue
            readers = lbl.readers - ABSTRACT_PRINCIPALS
            bad = sorted(r for r in recipients if r not in readers)
            if bad and not any(v.rule == "confidentiality" and set(bad) <= set(v.recipients) and v.arg in names
                               for v in out):
                arg = "+".join(names)
                # named by the arguments that name the recipients (the model's own words), as one argument's sink is
                sink = f"{proposal.tool}.{arg} -> " + "+".join(sorted({"public" if to == PUBLIC_SINK else to
                                                                     for a, to, _r in audiences if a in names}))
                origin = _origin(lbl)
                out.append(FlowViolation(
                    proposal.call_id, proposal.tool, "confidentiality", arg, sink, tuple(bad), origin,
                    tuple(sorted(lbl.readers)),
                    f"{proposal.tool} denied by privacy rule `recipients must be readers`: {', '.join(names)} together "
                    f"carry data from {', '.join(origin)} that {', '.join(bad)} may not read "
                    f"(readers: {', '.join(sorted(lbl.readers)) or 'nobody'}; sink: {sink})"))
        if tracks and hasattr(flow, "disclosures"):  # live and in an audit alike (an audit's flow keeps what its results disclosed)
            out += self._across_calls(proposal, audiences, user, groups)
        for arg in plan.authority:
            if arg not in args:
                continue
            lbl = proposal.labels.get(arg, PUBLIC)
            if not lbl.trusted and not _is_default(spec, arg, args[arg]):
                origin = _origin(lbl, untrusted=True)
                out.append(FlowViolation(
                    proposal.call_id, proposal.tool, "integrity", arg, f"{proposal.tool}.{arg}", (), origin,
                    None, f"{proposal.tool} denied by privacy rule `authority needs the user`: {arg}="
                    f"{_short(proposal.args[arg])} may come from untrusted content ({', '.join(origin)}) and appears "
                    f"in no user message or trusted tool output"))
        return out

    def _across_calls(self, proposal: Proposal, audiences: list[tuple[str, str, frozenset[str]]],
                      user: Collection[str],
                      groups: list[tuple[tuple[str, ...], frozenset[str], list[str]]] | None = None) -> list[FlowViolation]:
        """A value cut across calls: what each recipient receives now, read after the ends of what calls
        that ran on the thread disclosed to them (their pieces of a cut value lie at the texts' ends).
        Looked for whatever else the call carries to them (an approval of that must not cover the cut),
        and named only when the join forms a value neither side holds alone (`_formed_across`): a value
        whole in an earlier text was judged when it was sent."""
        before = self._received_before(proposal.thread_id, user)
        if not before:
            return []
        out: list[FlowViolation] = []
        named: set[str] = set()  # the recipients a violation in `out` names
        if groups is None:  # (names, recipients, texts) of each audience, as `_violations` read them
            groups = [(names, recipients, [t for v in _readings(proposal, names) for t in _strings_of(v)])
                      for names, recipients in _joined(audiences, user).items()]
        for names, recipients, texts in groups:
            read: dict[tuple[str, ...], list[Any]] = {}  # the same earlier texts, read once: [label, formed or None]
            arg = "+".join(names)
            # named by the arguments that name the recipients, as within one call: a sink naming each
            # recipient would make one violation a recipient, and their count tell the model how many
            # of those it named may not read (one told denial per sink, `_told`)
            sink = f"{proposal.tool}.{arg} -> " + "+".join(sorted({"public" if to == PUBLIC_SINK else to
                                                                 for a, to, _r in audiences if a in names}))
            # a text published now reaches everyone: each who received pieces before, privately or not
            for r in sorted(recipients | before.keys() if PUBLIC_SINK in recipients else recipients):
                got = _earlier_for(before, r)
                if not got or r in named:
                    continue
                hit = read.get(tuple(got))
                if hit is None:
                    hit = read[tuple(got)] = [self.flow.content_label([*got, *texts], proposal.thread_id), None]
                lbl = hit[0]
                if lbl.readers is None or r in lbl.readers - ABSTRACT_PRINCIPALS:
                    continue
                if hit[1] is None:
                    hit[1] = bool(_formed_across(self.flow, proposal.thread_id, got, texts))
                if not hit[1]:
                    continue
                origin = _origin(lbl)
                out.append(FlowViolation(
                    proposal.call_id, proposal.tool, "confidentiality", arg, sink, (r,), origin,
                    tuple(sorted(lbl.readers)),
                    f"{proposal.tool} denied by privacy rule `recipients must be readers`: {', '.join(names)}, with "
                    f"what earlier calls on this thread sent {'the public' if r == PUBLIC_SINK else r}, carry data "
                    f"from {', '.join(origin)} that {r} may not read "
                    f"(readers: {', '.join(sorted(lbl.readers)) or 'nobody'}; sink: {sink})", across=True))
                named.add(r)
        return out

    def _handles_read(self, text: str, thread: str) -> tuple[str, ...]:
        """`text` as its recipient read it, if that differs for value tracking (`PrivacyFlow.handles_read`)."""
        read = getattr(self.flow, "handles_read", None)
        got = read(text, thread) if read is not None else None
        return () if got is None else (got,)

    def _received_before(self, thread: str, user: Collection[str]) -> dict[str, list[tuple[int, str]]]:
        """Recipient (or the public) -> the ends of what the calls that ran on the thread disclosed to
        them, each with the place of its call (`PrivacyFlow.disclosures`, oldest first)."""
        before: dict[str, list[tuple[int, str]]] = {}
        for i, (spec, args) in enumerate(self.flow.disclosures(thread) if hasattr(self.flow, "disclosures") else ()):
            for names, recipients in _joined(_audiences(_plan_for(sink_of(spec.meta), args), args), user).items():
                # each text as the check reads it: its handles taken for spaces, and as its recipients read it
                ends = [(i, e) for a in names for t in _strings_of(args[a])
                        for r in (t, *(self._handles_read(t, thread) if "«" in t else ())) for e in _ends(r)]
                for r in recipients:
                    before.setdefault(r, []).extend(ends)
        return before

    def _referent(self, thread: str, kind: str, key: Any, calls: set[str] | None, shown: Any = None) -> Label:
        """The label of the records an argument refers to; `shown` is the argument as the model wrote it
        (handle form), named in the label's sources instead of a resolved value."""
        labels = []
        keys = key if isinstance(key, (list, tuple)) else [key]
        names = shown if isinstance(shown, (list, tuple)) and len(shown) == len(keys) else (
            [shown] * len(keys) if shown is not None else keys)
        for k, name in zip(keys, names):
            one = self.flow.key_label(thread, kind, k, calls)
            if one is None:  # a record the agent never saw: private to the user (fail closed)
                one = Label(readers=frozenset(self.flow.policy.user), sources=frozenset({f"{kind}:{name}", _UNSEEN}))
            labels.append(one)
        return _join_each(labels[0], labels[1:]) if labels else PUBLIC  # (thousands of records: joined in one step)

    def _approved(self, thread_id: str, context_journal: Any = None, call_id: str = "",
                  lineage: Mapping[str, tuple[str, str]] | None = None,
                  ) -> dict[tuple[str, str], tuple[tuple[frozenset[str], frozenset[str], dict[str, Any]], ...]]:
        """(tool, recipient) -> for each approval a person gave "for this recipient" on this thread, in
        answer to this guard's questions about calls other than `call_id`, the origins (sources) and the
        values (digests) it approved, and where it was given (its call, task and question), from the
        journal: a later disclosure is covered only when its
        origins and its values are all among those of one approval (an approval journaled without values
        covers none, and one whose call the person edited afterwards covers nothing: the call that ran
        is not the one approved)."""
        journal = self.journal or self.flow.journal or context_journal
        if journal is None:
            return {}
        asked: dict[tuple[str, Any, Any], dict[str, Any]] = {}
        answered: dict[tuple[str, Any, Any], Any] = {}
        edits: dict[tuple[str, Any], int] = {}  # (call, task) -> where the person last edited it
        out: dict[tuple[str, str], tuple[tuple[frozenset[str], frozenset[str], dict[str, Any]], ...]] = {}
        for e in journal.entries(thread_id, kinds=_ANSWERS):  # not the thread's results: a long thread holds megabytes
            kind = e.kind
            if kind not in _ANSWERS:
                continue
            call = e.call_id
            if kind == LATE_ANSWER:  # given to a question shown again once the call's effect had begun
                call, kind = str(e.data.get("late_for")), _KIND_OF.get(e.data.get("type"), "rejected")
            if call == call_id:
                continue  # a call's own answers are replayed to it in order: they cover later calls only
            if lineage is not None and lineage.get(call) != (e.tool, str(e.data.get("task", ""))):
                continue  # given on a branch this conversation is not on (rewound, or begun anew under its id)
            # an answer answers the question of its call, task and place among that task's questions
            key = (call, e.data.get("task"), e.data.get("ask"))
            if kind == "escalated":
                asked[key] = e.data
            elif key in asked and answered.get(key, ("",))[0] != "rejected":
                answered[key] = (kind, e.data, e.seq)  # a question asked again after a crash: the later answer, a reject for good
                if kind == "edited":
                    edits[key[:2]] = e.seq
        for key, (kind, data, seq) in answered.items():
            if edits.get(key[:2], -1) > seq:
                continue  # the person changed the call after approving it: what ran is not what was approved
            if (kind == "approved" and data.get("scope") == APPROVE_FOR_RECIPIENT["scope"]
                    and asked[key].get("guard") == self.name):  # an answer to this guard's question
                ev = asked[key].get("evidence") or {}
                tool = str(ev.get("tool"))
                values = ev.get("values") if isinstance(ev.get("values"), dict) else {}
                this: dict[str, frozenset[str]] = {}  # recipient -> the origins this approval covers
                for v in ev.get("violations") or ():
                    if v.get("rule") != "confidentiality":
                        continue
                    origins = frozenset(str(o) for o in v.get("origin") or ())
                    for r in v.get("recipients") or ():
                        this[str(r)] = this.get(str(r), frozenset()) | origins
                given = {"call": key[0], "task": key[1], "ask": key[2]}
                for r, origins in this.items():
                    out[(tool, r)] = (*out.get((tool, r), ()), (origins, frozenset(
                        str(x) for x in values.get(r) or ()) - _UNKNOWN, given))  # what was not known, nobody approved
        return out


def _lineage(state: Any, keys: Collection[str]) -> dict[str, tuple[str, str]]:
    """The calls a guard node ran in the conversation a proposal is made in: call id -> (tool, the
    LangGraph task that ran it), from the tool messages in its state that a node wrote for a call it
    let through (committed, ran or failed: not a refusal, which a model can provoke by writing an old
    call's id again). An answer counts for later calls only while the call it was given for ran in
    the task that asked, in this conversation: a thread rewound to before the question (a fork of an
    earlier checkpoint: new tasks), or begun anew under the same id, holds no approval it was not
    given, even where the model writes the old call again word for word (the node replays it in a new
    task). No messages: no call, so no approval (fail closed)."""
    if isinstance(state, Mapping) and len(state) == 1 and "state" in state:
        state = state["state"]  # a node's state that is no mapping, as the guard node hands it on
    mapping = isinstance(state, Mapping)
    found: dict[str, tuple[str, str]] = {}
    for key in keys:
        messages = state.get(key) if mapping else getattr(state, key, None)
        if not isinstance(messages, list):
            continue
        for m in messages:
            artifact = getattr(m, "artifact", None)
            info = artifact.get("vfa") if isinstance(artifact, Mapping) else None
            cid, name = getattr(m, "tool_call_id", None), getattr(m, "name", None)
            if (isinstance(info, Mapping) and info.get("outcome") in _RAN and isinstance(cid, str)
                    and isinstance(name, str)):
                found[cid] = (name, str(info.get("task", "")))
    return found


_RAN = frozenset({"committed", "ran", "failed"})
"""Outcomes of a call a guard node let through (a denial or a rejection stopped it)."""


def _is_default(spec: ToolSpec | None, arg: str, value: Any) -> bool:
    """Whether an optional argument is left as its tool leaves it when not given, and that is empty (a
    copy recipient ""): an argument not given needs nobody's authority. A default that says something (a
    password "changeme") still needs the user's: an injection could pick it."""
    if not (value is None or (isinstance(value, (str, list, tuple, dict)) and not (value.strip() if isinstance(value, str) else value))):
        return False
    fields = getattr(getattr(spec, "args_model", None), "model_fields", None)
    f = fields.get(arg) if isinstance(fields, dict) else None
    if f is None or f.is_required():
        return False
    try:
        default = f.get_default(call_default_factory=True)
    except Exception:  # noqa: BLE001 - a default that cannot be made: not one
        return False
    return type(default) is type(value) and default == value


_ANSWERS = frozenset({"escalated", "approved", "edited", "rejected", LATE_ANSWER})
"""Journal kinds of a question and its answers."""
_KIND_OF = {"approve": "approved", "edit": "edited", "reject": "rejected"}

_BLIND = ("unrelated-step", "unobserved-result:", "lost-handle:", "forged-handle:", "read:", "made-from:")
"""Sources of labels given for want of knowing what a value is (fail closed): no approval covers them.
What the model read ("read:", `context_taint="private"`) is one: any later text may carry any of it,
so an approval of one text says nothing of the next; so is what an agent a tool runs was given
("made-from:", the caller's arguments, which it read in clear)."""


def _blind(v: FlowViolation) -> bool:
    return any(o.startswith(_BLIND) for o in v.origin)


_UNKNOWN = frozenset({"values not worked out"})
"""A recipient's values when they were not worked out: covered by no approval."""


_NO_RECORD = object()
"""A lookup key that matches no record (`str` of it is unique to this process)."""


def _plain(proposal: Proposal, decl: Sink | None, flow: Any, marked: bool) -> bool:
    """Whether no rule can find anything in a call: every argument public and trusted, no handle, no
    record referred to, and nothing tracked on the thread that arguments joined could carry."""
    holds = getattr(flow, "holds_values", None)
    return (holds is not None
            and all(lbl.readers is None and lbl.trusted for lbl in proposal.labels.values())
            and (decl is None or not any(a in decl.refers for a in proposal.args))
            and not holds(proposal.thread_id) and not marked
            # a recipient whose address cannot be read is denied whatever the call carries
            and (decl is None or not any(unreadable_recipients(proposal.args[to])
                                         for to in _plan_for(decl, proposal.args).targets if to in proposal.args)))


def _lookup_keys(flow: Any, thread: str, value: Any, private: bool) -> Any:
    """The keys a `refers` argument names its records by: a field's own handle stands for its value; a
    derived handle, and any text naming a record whose key is private (a guess), match nothing (an
    unseen record): a match would tell the model which guess, or which computed value, was a key."""
    items = value if isinstance(value, (list, tuple)) else [value]
    keys = []
    for v in items:
        h = flow.store.get(v, thread) if isinstance(v, str) and "«" in v else None
        if h is not None and not h.derived:
            keys.append(h.value)
        elif h is not None or private:
            keys.append(_NO_RECORD)
        else:
            keys.append(v)
    return keys if isinstance(value, (list, tuple)) else keys[0]


class _SinkPlan:
    """What checking a sink's proposals reads from its declaration, worked out once per declaration."""

    __slots__ = ("decl", "disclose", "targets", "public", "declared", "authority")

    def __init__(self, decl: Sink) -> None:
        self.decl = decl
        self.disclose = tuple(decl.disclose.items())
        self.targets = tuple(sorted({to for to in decl.disclose.values() if to != PUBLIC_SINK}))
        """The arguments naming recipients, sorted."""
        self.public = not self.targets or PUBLIC_SINK in decl.disclose.values()
        """True when an argument the sink does not name counts as published (see `Sink.internal`)."""
        self.declared = frozenset(decl.disclose) | decl.internal
        self.authority = tuple(sorted(decl.authority))


_PLANS: dict[int, _SinkPlan] = {}


def _plan_for(decl: Sink | None, args: Mapping[str, Any]) -> _SinkPlan:
    """The plan of a tool's sink; a tool without a declaration publishes every argument (fail closed)."""
    return _SinkPlan(Sink(disclose={a: PUBLIC_SINK for a in args})) if decl is None else _plan_of(decl)


def _audiences(plan: _SinkPlan, args: Mapping[str, Any]) -> list[tuple[str, str, frozenset[str]]]:
    """(argument, the argument naming its recipients or "*", those recipients) for every disclosed argument;
    an argument the sink does not name goes to its most public audience (fail closed)."""
    # recipients as the model wrote them (handle form): a denial never reads a handle's value back
    who = {to: recipients_of(args.get(to)) for to in plan.targets}
    who[PUBLIC_SINK] = _PUBLIC_RECIPIENTS
    audiences = [(arg, to, who[to]) for arg, to in plan.disclose if arg in args]
    declared = plan.declared
    undeclared = [a for a in args if a not in declared]
    if undeclared:
        if plan.public:
            most: frozenset[str] = _PUBLIC_RECIPIENTS
        elif len(plan.targets) == 1:
            most = who[plan.targets[0]]
        else:
            most = frozenset().union(*(who[t] for t in plan.targets))
        audiences += [(a, PUBLIC_SINK if most is _PUBLIC_RECIPIENTS else "+".join(plan.targets), most)
                      for a in undeclared]
    return audiences


def _joined(audiences: list[tuple[str, str, frozenset[str]]], user: Collection[str]) -> dict[tuple[str, ...], frozenset[str]]:
    """The arguments one recipient receives, in the sink's order (a published one reaches everyone) ->
    every recipient (the user aside) who receives just those: a value split over them is whole to each.
    A recipient written with a name is its addresses (`reaches_only`), which are among them themselves."""
    everyone = sorted({r for _a, _to, rs in audiences for r in rs if r not in user and not reaches_only(r, rs)})
    out: dict[tuple[str, ...], set[str]] = {}
    for r in everyone:
        names = tuple(a for a, _to, rs in audiences if r in rs or rs is _PUBLIC_RECIPIENTS)
        out.setdefault(names, set()).add(r)
    return {names: frozenset(rs) for names, rs in out.items()}


def _plan_of(decl: Sink) -> _SinkPlan:
    plan = _PLANS.get(id(decl))
    if plan is None or plan.decl is not decl:  # the plan keeps its declaration alive: ids are not reused
        if len(_PLANS) >= 1024:
            _PLANS.clear()
        plan = _PLANS[id(decl)] = _SinkPlan(decl)
    return plan


def _question(proposal: Proposal, found: list[FlowViolation]) -> str:
    parts = []
    for v in found:
        if v.rule == "confidentiality":
            parts.append(f"disclose {v.arg} (from {', '.join(v.origin)}) to {', '.join(map(_told_apart, v.recipients))}")
        else:
            parts.append(f"use {v.arg}={_short(proposal.args.get(v.arg))}, which may come from untrusted content")
    return (f"{proposal.tool}: allow it to " + "; and ".join(parts)
            + "? Answer approve (once), approve for this recipient, or reject.")


def _told_apart(principal: str) -> str:
    """A recipient as a person asked about it can tell it from its look-alikes: every character that is not
    printable ASCII escaped (a Cyrillic "а" or a zero-width space in "dana@club.example"), as its domain
    is already shown in ASCII (IDNA)."""
    if principal.isascii() and principal.isprintable():
        return principal
    return principal.encode("ascii", "backslashreplace").decode("ascii")


_NOT_RECORDS = ("tool:", "derived:", "forged-handle:", "lost-handle:", "unobserved-result:")
"""Prefixes of sources that name no record (a tool, a call, a token)."""


def _asked(v: FlowViolation) -> dict[str, Any]:
    """A violation as a question's evidence keeps it outside the journal's copy: without its readers."""
    d = v.as_dict()
    del d["readers"]
    cut = v.message.find(" (readers: ")  # a reader may hold any character: the message is cut, not parsed
    if cut >= 0:
        d["message"] = f"{v.message[:cut]} (sink: {v.sink})"
    return d


def _told(v: FlowViolation) -> dict[str, Any]:
    """A violation as a denial tells the model of it: the rule, the argument, the sink and the origin
    named by kinds (`_named`), never the readers, which recipients may not read, a record or a value.
    What it is told then depends on its own arguments and on whether they carry private data, never
    on which of its guesses matched: a list of readers or of the recipients outside it would confirm
    a guessed reader (a private bcc), and a record's name which guess was its value."""
    origin = _named(v.origin)
    if v.rule == "confidentiality":
        message = (f"{v.tool} denied by privacy rule `recipients must be readers`: {v.arg} carries data from "
                   f"{', '.join(origin) or 'an unseen record'} that not every recipient may read (sink: {v.sink})")
    elif v.rule == "integrity":
        message = (f"{v.tool} denied by privacy rule `authority needs the user`: {v.arg} may come from untrusted "
                   f"content ({', '.join(origin)}) and appears in no user message or trusted tool output")
    elif v.sink == v.tool and v.origin and v.origin[0].startswith("forged-handle:"):
        message = (f"{v.tool} denied by privacy rule `handles are minted, never written`: {v.arg or 'an argument'} "
                   "holds a handle that was not issued on this thread (forged, or from another thread)")
    elif v.rule == "recipient":
        message = v.message  # names the argument only, never the recipient as written
    else:
        message = (f"{v.tool} denied by privacy rule `recipients are written, never handles`: {v.arg} holds a "
                   "handle; name recipients by their addresses")
    return {"rule": v.rule, "arg": v.arg, "sink": v.sink, "origin": origin if v.rule not in ("handle", "recipient") else (),
            "message": message}


def _named(origin: tuple[str, ...]) -> tuple[str, ...]:
    """An origin as a denial names it to the model: a record by its kind alone ("employee:ann" as
    "employee records"). Which record a value came from is what a model guessing at private values
    would learn from a denial (each guess that matched named by its record); the kind, field and tool
    still say where the data came from. A violation keeps its whole origin (for a person's question,
    approvals and the audit)."""
    out: dict[str, None] = {}
    for s in origin:
        prefix = next((p for p in ("derived-from:", "read:", "made-from:") if s.startswith(p)), "")
        rest = s[len(prefix):]
        if ":" in rest and not rest.startswith(_NOT_RECORDS):
            rest = rest.split(":", 1)[0] + " records"
        out[prefix + rest] = None
    return tuple(out)


def _origin(lbl: Label, *, untrusted: bool = False) -> tuple[str, ...]:
    return tuple(sorted(s for s in lbl.sources if s != "user")) or (("untrusted content",) if untrusted else ())


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _arg_of(args: Mapping[str, Any], token: str) -> str:
    return next((k for k, v in args.items() if token in repr(v)), "")


def _lint_public_read(name: str, spec: ToolSpec) -> None:
    """Warn about a read tool that takes arguments but declares its output public: it may compute on
    private state (a balance check answers questions about the balance), so its answers leak bit by bit."""
    src = source_of(spec.meta)
    if src is None or getattr(spec, "is_effect", False) or src.private or src.untrusted or src.pure:
        return
    fields = sorted(spec.args_model.model_fields)
    if fields:
        warnings.warn(f"privacy source of read tool {name!r} declares its output public but the tool takes arguments "
                      f"{fields}: if it computes on private state, declare its output private (with that state's "
                      f"kind) or the model can probe the state through it", PrivacyLintWarning, stacklevel=3)


_EARLIER_UNITS = 256
"""The digit units (`_digit_units`) of earlier disclosures a call's check reads per recipient, the most
recent first: a long thread of mails with dates and amounts would otherwise pass the bound on units
a check reads (`_MAX_UNITS`) and every later call be denied. A piece further back is missed."""


def _formed_across(flow: Any, thread: str, earlier: list[str], texts: list[str]) -> frozenset[str]:
    """The digests of the private values the join of what a recipient received before and what a call
    sends them holds that neither holds alone: a value cut across calls (one that cannot be worked out
    is one, `PrivacyFlow.values_in`; so is every value, for a flow that cannot name them)."""
    values_in = getattr(flow, "values_in", None)
    if values_in is None:
        return _UNKNOWN
    return values_in((), thread, [*earlier, *texts]) - values_in((), thread, earlier) - values_in((), thread, texts)


def _earlier_for(before: Mapping[str, list[tuple[int, str]]], r: str) -> list[str]:
    """The ends of what `r` received before (a published text reached everyone), oldest first, back to
    where they hold `_EARLIER_UNITS` digit units."""
    got = sorted([*before.get(r, ()), *(before.get(PUBLIC_SINK, ()) if r != PUBLIC_SINK else ())])
    units, keep = 0, len(got)
    while keep:
        units += len(_digit_units(got[keep - 1][1]))
        if units > _EARLIER_UNITS:
            break
        keep -= 1
    return [t for _i, t in got[keep:]]


def _ends(text: str) -> tuple[str, ...]:
    """A text disclosed earlier as a later call's check reads it (`text_ends`), handles left out."""
    return text_ends(HANDLE_RE.sub(" ", text) if "«" in text else text)


def _readings(proposal: Proposal, names: Iterable[str]) -> list[Any]:
    """Arguments as the tool reads them and, where validation rewrote one, as written; and what was written
    under a name no argument has (an alias), which may be in any of them (as labelled)."""
    args, raw = proposal.args, proposal.raw_args
    if raw is None:
        return [args[a] for a in names]
    out = []
    for a in names:
        value = args[a]
        written = raw.get(a, value)
        out += [value] if written is value or written == value else [value, written]
    return out + [v for k, v in raw.items() if k not in args]
