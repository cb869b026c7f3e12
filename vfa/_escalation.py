"""Escalation: asking a person about a proposal through LangGraph's `interrupt()`, once per question.

LangGraph hands a resumed task its answers by position: the n-th `interrupt()` call of the task
gets the n-th answer. A guard node handles a turn's calls in order and replays finished calls
from the journal without acting again, which would shift those positions and give one call's
answer to another. So every question (and every pause of a tool that called `interrupt()`
itself) is journaled with its task, and a replayed call first re-asks its journaled questions in
order: the positions stay where they were, and the journal stays the record of what was decided.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from langgraph.config import get_config
from langgraph.types import interrupt

from . import _tracing
from ._exceptions import AnswerError, CallInFlightError
from ._journal import LATE_ANSWER, EffectJournal, JournalEntry, _written, dumps
from ._proposal import Proposal
from ._tools import MAX_ARG_DEPTH, json_value, nested_over
from ._verdict import Escalate

try:  # LangGraph 1.2.20+ (the lower bound): each question of a task has an id of its own, the slot its answer fills
    from langgraph._internal._constants import (
        CONFIG_KEY_CHECKPOINT_NS,
        CONFIG_KEY_RESUME_MAP,
        CONFIG_KEY_SCRATCHPAD,
    )
    from langgraph.errors import _INVALID_RESUME
    from langgraph.types import _interrupt_id
except ImportError as exc:  # older: every question of a task has the task's id, so an answer re-sent to an
    # answered question would answer the next one (an approval nobody gave): refused, not run that way
    raise ImportError(f"vfa needs langgraph 1.2.20 or later (each question of a task its own interrupt id): {exc}") from exc

__all__ = ["LATE_ANSWER", "Questions", "can_ask", "current_task", "decision_of", "one_run"]

_ANSWER_KIND = {"approve": "approved", "edit": "edited", "reject": "rejected"}
_TASK_KEY = "__pregel_task_id"  # LangGraph's config key for the running task (stable across resumes)


_RUN_PLACES: ContextVar[dict[tuple[str, str], tuple[EffectJournal, dict[str, tuple[str, Any]]]] | None] = \
    ContextVar("vfa_run_places", default=None)
"""What each task asked where (`Questions._places`), shared by the calls of one run of a guard node."""


@contextmanager
def one_run() -> Iterator[None]:
    """Let the calls of one run of a task share what it asked where (`Questions._places`): a resumed turn
    replays each call answered before, and each read of the thread's questions would make a resume of K
    calls read K times the thread's questions. Within a run nothing changes them but the run's own
    questions, each at a place of its own."""
    token = _RUN_PLACES.set({})
    try:
        yield
    finally:
        _RUN_PLACES.reset(token)


def current_task() -> str:
    """The id of the LangGraph task running this code; "" outside a graph."""
    try:
        config = get_config()
    except RuntimeError:
        return ""
    return str((config.get("configurable") or {}).get(_TASK_KEY, ""))


def can_ask() -> bool:
    """Whether a person can be asked here: inside a LangGraph task (one with its scratchpad), where `interrupt()`
    pauses the thread until they answer. Outside one (plain code, a LangChain chain that is no graph, a worker
    thread handed no config) `interrupt()` fails with LangGraph's own error and nobody could ever answer."""
    return _scratchpad() is not None


def payload(proposal: Proposal, verdict: Escalate) -> dict[str, Any]:
    """What `interrupt()` shows the person: the call (its arguments as the JSON an edit answers with), the
    guard, its question and evidence."""
    # as JSON, not the tool's types: a client reads the question as JSON, and a checkpointer keeps it as
    # plain values (a `SecretStr` in a checkpoint is a type LangGraph's serialiser will refuse to load)
    try:
        args = json_value(proposal.args)
    except (ValueError, RecursionError):  # a value too large or too deep to write: each argument by its repr
        args = {k: _short_repr(v) for k, v in proposal.args.items()}
    return {
        "vfa": "escalation", "tool": proposal.tool, "call_id": proposal.call_id, "args": args,
        "guard": verdict.guard, "question": verdict.question, "evidence": _plain(verdict.evidence),
        "options": ["approve", "edit", "reject"],
    }


def _plain(evidence: Any) -> Any:
    """A guard's evidence as the JSON values the journal writes (what JSON cannot carry by its repr): as the
    arguments are, plain values a checkpointer keeps and a client reads (an iterator, which the chain's check
    read as the list it yields, is no value LangGraph's serialiser can save)."""
    return json.loads(_written(evidence))


def _short_repr(value: Any) -> str:
    try:
        return reprlib.repr(value)
    except Exception:  # noqa: BLE001 - a repr that raises
        return f"<a {type(value).__name__}>"


MAX_QUESTIONS = 16
"""The most questions asked about one call; past it the call is rejected (a guard's question keeps changing)."""


class Questions:
    """The questions asked about one call in the current task and the answers given, from the journal."""

    def __init__(self, journal: EffectJournal, entries: Sequence[JournalEntry], task: str, *,
                 max_arg_bytes: int = 64 * 1024) -> None:
        self.journal = journal
        self.max_arg_bytes = max_arg_bytes
        """The largest an edit's arguments may be as JSON (the node's limit for a model's call)."""
        self.task = task
        mine = [e for e in entries if e.data.get("task") == task] if task else []
        self.asked = [e.data["payload"] for e in mine if e.kind == "escalated" and "payload" in e.data]
        self._asked_at = [e.seq for e in mine if e.kind == "escalated" and "payload" in e.data]
        self._begun_at = max((e.seq for e in entries if e.kind in ("started", "restarted")), default=0)
        """Where the call's effect last began (0: never): a question asked before it and answered only now
        was about a call that has since begun elsewhere (a fork of the thread)."""
        self.since = min((e.seq for e in mine if e.kind == "escalated"), default=None)
        """Where in the journal this task first asked about its call (None: not asked): checked again since."""
        # by place among the call's questions; a later answer to the same question (asked again after a
        # crash, see `replay`) replaces the first, but nothing replaces a reject
        answers: dict[int, dict[str, Any]] = {}
        for e in mine:
            if e.kind in _ANSWER_KIND.values() and isinstance(e.data.get("ask"), int):
                had = answers.get(e.data["ask"])
                if had is None or had["type"] != "reject":
                    answers[e.data["ask"]] = _strip(e.data)
        self._journaled = answers
        """Place -> the answer journaled in the call's record: one given apart (`_apart`) leaves its place empty."""
        self.answers = [answers[k] for k in sorted(answers)]
        """The answers by place among `asked` (once `replay` has run)."""
        # a pause journaled again when its task re-ran before the tool's answer came is one pause; one a graph
        # the tool ran made (an agent used as a tool, on this thread) took no place among this task's answers:
        # that graph takes its own answer when the tool runs again
        paused = [e for e in mine if e.kind == "paused"]
        own = _own_interrupts() if paused else None
        pauses = {e.data.get("interrupt") or e.seq: e.data.get("value") for e in paused
                  if own is None or not isinstance(e.data.get("interrupt"), str) or own(e.data["interrupt"])}
        self._apart: set[int] = set()
        """The answers journaled apart (given once the call had ended or begun elsewhere): they decide
        nothing of this call's outcome."""
        self._started = False
        """The call's effect had begun as this run read its history (`replay(started=...)`)."""
        self.tool_pauses = len(pauses)
        self._pause_values = list(pauses.values())  # what the tool asked, in order
        self._next = 0
        self._placed: dict[str, tuple[str, Any]] | None = None

    def replay(self, call: tuple[str, str, str], *, finished: bool, started: bool = False) -> None:
        """Re-ask the journaled questions of this task in order, journaling answers not yet recorded.

        A finished call also re-consumes the positions its tool's own `interrupt()` calls took;
        an unfinished one re-runs its tool, which asks them again itself.
        """
        self._started = started or finished
        # by place: an answer journaled apart is in no place of the call's record, and the answers after it
        # are at their own places, not one early
        self.answers = []
        for k, question in enumerate(self.asked):
            self._check_place(call, question)
            decision = decision_of(_interrupt(question), self.max_arg_bytes, call[2])  # the stored answer; raises while there is none
            had = self._journaled.get(k)
            if had is not None:
                self.answers.append(had)
            if had is None and (finished or (started and self._asked_at[k] < self._begun_at)):
                # first answered once the call had ended, or its effect begun, in another task (a fork of
                # the thread asked it again and committed it, or a crash cut its effect off there):
                # journaled apart, as a late answer is; in the call's own record it would read as the
                # call's outcome (a reject), hide it, or end a call whose recovery must ask whether it ran
                if self._late(call, {**decision, "task": self.task, "ask": k}):
                    self._traced(k, decision)
                self.answers.append(decision)
                self._apart.add(k)
            elif had is None:
                self._record(call, k, decision, ends=True)
            elif decision != had and had["type"] != "reject":
                # asked again and answered otherwise: LangGraph lost the answer it had (a crash before it
                # saved the task), and the person was shown the question anew; the new answer stands
                # (a reject for good). A call whose effect has begun keeps the answer it acted on: it
                # ran, or may have (its recovery asks about that), whatever is answered now; the new
                # answer is journaled apart, for what it says of later calls (an approval for a recipient)
                data = {**decision, "task": self.task, "ask": k}
                if finished or started:
                    taken = self._late(call, data)
                else:
                    self.journal.append([(*call, _ANSWER_KIND[decision["type"]], data)])
                    self.answers[k] = decision
                    taken = True
                if taken:
                    self._traced(k, decision)
        if finished:
            self.skip_tool_pauses(call[1])

    def tool_start(self) -> int | None:
        """Where this call's tool, run again to take its answers, makes its first `interrupt()` in the task
        (None: it paused for none, or where is unknown); see `take_tool_answers_left`."""
        if not self._pause_values:
            return None
        # its `interrupt()` calls are LangGraph's own, which hand an answer re-sent to the task's first question on
        # to the one pending (the tool's second): refused before the tool runs again, as a guard's question is
        _refuse_handed_on()
        pad = _scratchpad()
        return _made(pad) if pad is not None else None

    def take_tool_answers_left(self, start: int | None) -> None:
        """After a tool run again ended without pausing: take the answers given to pauses it did not make
        this time (the world changed: it asked less), or the next call's question would get one of them."""
        pad = _scratchpad() if start is not None else None
        made = _made(pad) if pad is not None else None
        if made is None:
            return
        for value in self._pause_values[max(0, made - start):]:
            if made >= len(pad.resume) and pad.get_null_resume(False) is None:
                break  # nobody answered it: nothing to take
            _interrupt(value)
            made += 1

    def _late(self, call: tuple[str, str, str], data: dict[str, Any]) -> bool:
        """Journal an answer given once the call's effect had begun, apart from the call's own record
        (once: every replay of the task hands it back); True when it was journaled now."""
        thread, call_id, tool = call
        late = f"{call_id}#late"
        if any(e.data == {**data, "late_for": call_id} for e in self.journal.entries(thread, call_id=late)):
            return False
        self.journal.append([(thread, late, tool, LATE_ANSWER, {**data, "late_for": call_id})])
        return True

    def skip_tool_pauses(self, call_id: str) -> None:
        """Take the answers the call's tool got to its own `interrupt()` calls, without running the tool:
        answers are matched to questions by place in the task, so the next call's questions get theirs."""
        for value in self._pause_values:  # one still unanswered is asked as the tool asked it
            _interrupt(value if value is not None else {"vfa": "tool-pause", "call_id": call_id})

    def ask(self, proposal: Proposal, verdict: Escalate, pending: list[Any]) -> dict[str, Any]:
        """The person's decision on this escalation: from the journal if already given, else asked now.

        `pending` journal entries go in before the question; the list is emptied.
        """
        question = payload(proposal, verdict)
        k = self._find(question)
        if k is not None:
            self._next = k + 1
            return self.answers[k]  # replay() made sure every asked question has its answer
        k = len(self.asked)  # a new question (the world may have changed since the last one)
        call = (proposal.thread_id, proposal.call_id, proposal.tool)
        if k >= MAX_QUESTIONS:  # a guard whose question changes at every resume would be asked for ever
            decision = {"type": "reject", "message": f"{k} questions were asked about this call and a guard "
                        "asks a new one each time"}
            entries = [*pending, (*call, "rejected", {**decision, "task": self.task})]
            if self._started:
                self.journal.append(entries)
            else:  # ends the call: never beside another replica's outcome of it
                self._end(call, entries)
            pending.clear()
            return decision
        at = self._check_place(call, question)
        early = at is not None and self._sent_before_asked(call[0], at)
        self.journal.append([*pending, (*call, "escalated", {
            **verdict.model_dump(mode="json"), "task": self.task, "ask": k, "payload": question,
            **({"interrupt": at} if at is not None else {})})])
        pending.clear()
        if at is not None and self._placed is not None:  # as a read of the journal now would find it
            self._placed.setdefault(at, (call[1], question))
        self.asked.append(question)
        self._next = k + 1
        decision = decision_of(_interrupt(question), self.max_arg_bytes, proposal.tool)
        if early:
            # a bare answer LangGraph kept for the next `interrupt()`, sent before this question was asked: the
            # person answered a question since dropped (`update_state` after it), never this one
            decision = {"type": "reject", "message": "an answer was sent before this question was asked (to a "
                        "question no longer pending, the state edited since) and is not taken for it; nothing was "
                        "run: propose the call again to be asked about it"}
        self._record(call, k, decision, ends=not self._started)
        return decision

    def rejection(self) -> dict[str, Any] | None:
        """A reject among the answers given about this call, if any: it ends the call whatever the guards
        say when they check again on resume."""
        return next((a for k, a in enumerate(self.answers) if a["type"] == "reject" and k not in self._apart), None)

    def last_edit(self) -> dict[str, Any] | None:
        """The last edit among the answers given about this call: the arguments the call goes on with."""
        return next((a for k, a in reversed(list(enumerate(self.answers))) if a["type"] == "edit" and k not in self._apart),
                    None)

    def past_last_edit(self) -> None:
        """Go on from the last edit: the questions answered up to it are about arguments the person changed,
        so a question about the edited call is looked for after it (an edit back to arguments asked about
        before is asked about again, never answered as they were then)."""
        k = next((j for j in reversed(range(len(self.answers)))
                  if self.answers[j]["type"] == "edit" and j not in self._apart), None)
        if k is not None:
            self._next = max(self._next, k + 1)

    def answered(self, proposal: Proposal, verdict: Escalate) -> bool:
        """Whether this very question was asked about this call before (at the current place or later)."""
        return self._find(payload(proposal, verdict)) is not None

    def _find(self, question: dict[str, Any]) -> int | None:
        # at this place or later: a question that changed once, or one asked after a crash, is found
        # again (a new one each resume would be asked for ever)
        return next((j for j in range(self._next, len(self.asked)) if _same(self.asked[j], question)), None)

    def _check_place(self, call: tuple[str, str, str], question: dict[str, Any]) -> str | None:
        """The interrupt id the question is about to be asked at (None where LangGraph gives none).

        Raises `AnswerError` when an answer waits there that was given to another question: one this
        task journaled at that id about another call (or another question, or a tool's own pause).
        The task re-ran on a state edited meanwhile (`Command(resume=..., update=...)` putting a call
        before the one asked about), so its questions come in another order; the answer is the
        person's to the question they were shown, never to the one now in its place."""
        pad = _scratchpad()
        place = _made(pad) if pad is not None else None
        if place is None:
            return None
        try:
            ns = (get_config().get("configurable") or {}).get(CONFIG_KEY_CHECKPOINT_NS)
        except RuntimeError:
            return None
        if ns is None:
            return None
        at = _interrupt_id(ns, place)
        waiting = place < len(pad.resume or ()) or (place == len(pad.resume or ()) and pad.get_null_resume(False) is not None)
        if not waiting:
            return at
        there = self._places(call[0]).get(at)
        if there is not None and (there[0] != call[1] or there[1] is None or not _same(there[1], question)):
            shown = f"the call {there[0]!r}" if there[1] is not None else f"a pause of the call {there[0]!r}'s tool"
            error = AnswerError(
                f"the answer at interrupt {at} was given to the question about {shown}; the run, on a state "
                f"changed since, now asks about the call {call[1]!r} there. Send answers without a state edit; to edit the "
                "state, call update_state and run on: the questions are then asked anew")
            setattr(error, _INVALID_RESUME, True)  # a ToolNode re-raises it instead of telling the model
            raise error
        return at

    def _sent_before_asked(self, thread_id: str, at: str) -> bool:
        """Whether a bare answer (`Command(resume=value)`, no interrupt id) waits at interrupt `at`, where this
        task asked nothing: LangGraph keeps an answer sent where no question was pending (the state edited with
        `update_state` after the question the person saw, which dropped it; a static breakpoint) for the next
        `interrupt()`, so it was given before the question now asked there existed."""
        pad = _scratchpad()
        place = _made(pad) if pad is not None else None
        return (place is not None and place == len(pad.resume or ()) and pad.get_null_resume(False) is not None
                and at not in self._places(thread_id))

    def _places(self, thread_id: str) -> dict[str, tuple[str, Any]]:
        """Interrupt id -> (call id, question; None for a tool's pause) of what this task asked there."""
        if self._placed is None:
            shared = _RUN_PLACES.get()
            kept = shared.get((thread_id, self.task)) if shared is not None else None
            if kept is not None and kept[0] is self.journal:  # read by an earlier call of this run
                self._placed = kept[1]
                return self._placed
            self._placed = {}
            # its questions and its tool's pauses alone: not every result the thread holds
            for e in self.journal.entries(thread_id, kinds=("escalated", "paused")):
                if e.data.get("task") == self.task and isinstance(e.data.get("interrupt"), str):
                    if e.kind == "escalated":
                        self._placed.setdefault(e.data["interrupt"], (e.call_id, e.data.get("payload") or {}))
                    elif e.kind == "paused":
                        self._placed.setdefault(e.data["interrupt"], (e.call_id, None))
            if shared is not None:
                shared[(thread_id, self.task)] = (self.journal, self._placed)
        return self._placed

    def _record(self, call: tuple[str, str, str], k: int, decision: dict[str, Any], *, ends: bool = False) -> None:
        """Journal an answer; a reject that `ends` a call not begun as this run read it is written only if no
        other run began or ended the call since (one transaction: a call never gets two outcomes)."""
        entry = (*call, _ANSWER_KIND[decision["type"]], {**decision, "task": self.task, "ask": k})
        if ends and decision["type"] == "reject":
            self._end(call, [entry])
        else:
            self.journal.append([entry])
        self._traced(k, decision)
        self.answers.append(decision)

    def _traced(self, k: int, decision: Mapping[str, Any]) -> None:
        """Trace the answer to question `k` as it is journaled: once, in the run that takes it."""
        _tracing.record_answer(str(self.asked[k].get("guard") or ""), decision["type"])

    def _end(self, call: tuple[str, str, str], entries: list[Any]) -> None:
        """Journal `entries`, which end the call rejected, unless another run ended it first (then
        `CallInFlightError`, nothing written; also while another run is inside it)."""
        earlier = self.journal.end(call[0], call[1], entries)
        if earlier is not None:
            raise CallInFlightError(
                f"call {call[1]!r} of {call[2]!r} on thread {call[0]!r} ended ({earlier.kind}) in another run before "
                "this reject could be journaled; nothing was done: resume the thread to read its outcome")


def _interrupt(question: Any) -> Any:
    """`interrupt(question)`, refusing an answer LangGraph hands on that was sent to another question.

    An answer is sent to a question by its interrupt id (`Command(resume={id: answer})`). LangGraph
    also takes an answer sent to a task's first question as the answer to the question pending after
    it (a fallback for clients of versions that gave all of a task's questions the first id): a
    client re-sending the answers it holds, or retrying a resume, would approve a question nobody
    answered. Such a run stops with `AnswerError` before any question is asked, and nothing is saved.
    """
    _refuse_handed_on()
    return interrupt(question)


def _refuse_handed_on() -> None:
    """Raise `AnswerError` when this run brought an answer sent to the task's first question, which LangGraph
    hands on to the question pending after it (see `_interrupt`); called before any question of the task is
    asked again, and before a tool that paused itself runs again (its own `interrupt()` calls are LangGraph's)."""
    try:
        conf = get_config().get("configurable") or {}
    except RuntimeError:
        conf = {}
    answers, pad, ns = conf.get(CONFIG_KEY_RESUME_MAP), conf.get(CONFIG_KEY_SCRATCHPAD), conf.get(CONFIG_KEY_CHECKPOINT_NS)
    taken = len(getattr(pad, "resume", None) or ())  # saved answers, and the one this run brought, if any
    if answers and ns is not None and taken >= 2:
        first = _interrupt_id(ns, 0)
        if first in answers and _interrupt_id(ns, taken - 1) not in answers:
            error = AnswerError(
                f"an answer was sent to interrupt {first}, which is answered already; the question "
                f"pending is interrupt {_interrupt_id(ns, taken - 1)}: send its answer under that id")
            setattr(error, _INVALID_RESUME, True)  # a ToolNode re-raises it instead of telling the model
            raise error


def _scratchpad() -> Any:
    """The running task's LangGraph scratchpad (its answers and its count of questions), if it has one."""
    try:
        return (get_config().get("configurable") or {}).get(CONFIG_KEY_SCRATCHPAD)
    except RuntimeError:
        return None


def _own_interrupts() -> Callable[[str], bool] | None:
    """Whether an interrupt id is one the running task's own `interrupt()` calls give (at any place), not a
    nested graph's (whose namespace is its own); None where that cannot be told (outside a graph): every
    pause counts as the task's."""
    try:
        ns = (get_config().get("configurable") or {}).get(CONFIG_KEY_CHECKPOINT_NS)
    except RuntimeError:
        return None
    if not isinstance(ns, str):
        return None
    ids: dict[str, None] = {}

    def own(interrupt: str) -> bool:
        while len(ids) <= MAX_QUESTIONS * 8 and interrupt not in ids:  # a task makes few questions
            ids[_interrupt_id(ns, len(ids))] = None
        return interrupt in ids

    return own


def _made(pad: Any) -> int | None:
    """How many `interrupt()` calls the task made so far, read without making one (its counter counts
    from 0 once used); None where the counter cannot be read."""
    try:
        counter = pad.interrupt_counter._counter  # LangGraph's lazy counter: None until first used
        if counter is None:
            return 0
        text = repr(counter.__self__)  # "count(3)"
        return int(text[text.index("(") + 1:-1])
    except Exception:  # noqa: BLE001 - another LangGraph: where a tool stopped asking is not known
        return None


def _strip(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("task", "ask")}


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    keys = ("tool", "args", "guard", "question")
    return json.dumps([a.get(k) for k in keys], default=repr) == json.dumps([b.get(k) for k in keys], default=repr)


_KINDS = ("type", "decision", "action")
"""The keys an answer may name its decision by."""
_SAME = {"accept": "approve", "approved": "approve", "rejected": "reject", "deny": "reject"}
"""Other words for a decision."""


def decision_of(answer: Any, max_arg_bytes: int = 64 * 1024, tool: str | None = None) -> dict[str, Any]:
    """Read a person's answer as {"type": approve|edit|reject, ...}; anything unrecognised or ambiguous
    rejects (two decisions for one question, a decision beside a list of them, an approval carrying
    arguments), and so does an edit
    whose arguments a model's call could not have (not JSON, over `max_arg_bytes`, or nested too deep)
    or that names a tool other than `tool`, the one asked about (as the question names it, `tool`, or
    as `name` or `edited_action.name`: an edit changes a call's arguments; another effect is the
    model's to propose, and its guards' to judge as that tool), or that carries two different sets of
    arguments (`args` and `edited_action.args`), and an answer that raises when read."""
    try:
        return _decision_of(answer, max_arg_bytes, tool)
    except Exception as exc:  # noqa: BLE001 - a part whose truth value or repr raises (an array, a huge int)
        # the checkpointer saved it as the question's answer: raising here would fail every resume after
        return {"type": "reject", "message": f"an answer that cannot be read ({type(exc).__name__})"}


def _decision_of(answer: Any, max_arg_bytes: int, tool: str | None) -> dict[str, Any]:
    if isinstance(answer, Mapping) and "decisions" in answer:  # HumanInTheLoopMiddleware's shape
        decisions = answer["decisions"]
        if not (isinstance(decisions, list) and len(decisions) == 1) or any(answer.get(k) for k in _KINDS):
            return {"type": "reject", "message": "an ambiguous answer: one decision is needed for one question"}
        answer = decisions[0]
        if isinstance(answer, Mapping) and "decisions" in answer:
            return {"type": "reject", "message": "an ambiguous answer: a list of decisions inside a decision"}
    if isinstance(answer, str):
        answer = {"type": answer}
    if not isinstance(answer, Mapping):
        return {"type": "reject", "message": f"unrecognised answer {answer!r:.100}"}
    named = [answer[k] for k in _KINDS if answer.get(k)]
    if any(not isinstance(k, str) for k in named):
        return {"type": "reject", "message": f"unrecognised answer {named!r:.100}"}
    kinds = {_SAME.get(k, k) for k in named}  # synonyms name one decision
    if len(kinds) > 1:
        return {"type": "reject", "message": f"an ambiguous answer: {sorted(kinds)}"}
    kind = next(iter(kinds), None)
    if kind == "approve":
        if answer.get("args") is not None or answer.get("edited_action") is not None:
            # the person approved other arguments than the call asked about: which of them is meant?
            return {"type": "reject", "message": "an ambiguous answer: an approval carrying arguments (to change "
                    "the call, answer with an edit; it is checked again); nothing was run"}
        # "scope" lets a guard offer more than once-only approval (e.g. "recipient"); guards read it
        # back from the journal's `approved` entry, which only a person's answer can create
        extra = {k: answer[k] for k in ("message", "scope") if isinstance(answer.get(k), str) and answer[k]}
        return {"type": "approve", **extra}
    if kind == "edit":
        args = answer.get("args")
        action = answer.get("edited_action")
        # the tool named as the question names it ("tool"), as a tool call does ("name"), or as
        # HumanInTheLoopMiddleware's edit does (edited_action.name)
        names = [answer.get("tool"), answer.get("name"), action.get("name") if isinstance(action, Mapping) else None]
        for name in names:
            if name is not None and (not isinstance(name, str) or (tool is not None and name != tool)):
                return {"type": "reject", "message": f"an edit naming another tool ({name!r:.80}) than the one asked "
                        f"about ({tool!r}); nothing was run: ask for that call instead"}
        if isinstance(action, Mapping):
            if args is None:
                args = action.get("args")
            elif action.get("args") is not None and action.get("args") != args:
                # two sets of arguments: which of them the person meant is not known
                return {"type": "reject", "message": "an ambiguous answer: an edit carrying two different sets of "
                        "arguments (args and edited_action.args); nothing was run"}
        if isinstance(args, Mapping):
            problem = _unfit(args, max_arg_bytes)
            if problem:  # refused as a model's call is, before it is journaled or checked
                return {"type": "reject", "message": f"an edit whose arguments {problem}"}
            return {"type": "edit", "args": dict(args)}
        return {"type": "reject", "message": "an edit without new arguments"}
    message = answer.get("message") if kind == "reject" else f"unrecognised answer {kind!r}"
    if message is not None and not isinstance(message, str):  # what the model is told is text, as a person wrote it
        message = _said(message)
    return {"type": "reject", "message": message}


def _unfit(args: Mapping[str, Any], max_bytes: int) -> str:
    """Why an edit's arguments could not be a model's call ("" when they could)."""
    try:
        text = dumps(args)
    except (TypeError, ValueError, RecursionError):
        return "cannot be written as JSON"
    if len(text) > max_bytes:
        return f"are {len(text)} bytes, over the limit of {max_bytes}"
    if nested_over(args, text, MAX_ARG_DEPTH):
        return f"are nested over {MAX_ARG_DEPTH} levels deep"
    return ""


def _said(value: Any) -> str:
    """A person's reject message that is not text, written as text (by its repr, cut to 500 characters)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a repr that raises (an int past the digit limit): its type says what it was
        return f"<{type(value).__name__}>"
    return text[:500] if isinstance(text, str) else f"<{type(value).__name__}>"
