"""What the privacy flow holds per thread: kept while a call runs, dropped past `max_threads`, rebuilt
from the journal, and what the graph state's messages show (`scan`)."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, ChatMessage, FunctionMessage, HumanMessage, ToolMessage

from vfa import Label, Proposal
from vfa._guard_node import _storable, content_digest, denial_text, denied_verdict
from vfa._journal import UNOBSERVED, recorded_result
from vfa._tools import as_asked, as_validated

from ._forms import _message_text, _typed_by_person, _users_forms, _with_users, forget_texts
from ._index import forget_cuts
from ._observation import forget_labels
from ._privacy_decl import forget_recipients, source_of
from ._recorded import _is_result
from ._walk import _error_source, forget_steps

_RECENT = 64
"""Message scans (and call-set indexes) are kept for this many most recently active threads."""


class _Scan:
    """What argument labelling reads from a thread's messages (see `PrivacyFlow.scan`): a snapshot of
    one state's messages, never changed once made (a call labelling from it must not see the user
    messages of another state on the same thread)."""

    __slots__ = ("messages", "texts", "users", "carrying", "unmarked", "provided", "summaries")

    def __init__(self, messages: list[Any], texts: tuple[str, ...], users: tuple[str, frozenset[str]],
                 carrying: frozenset[str], unmarked: tuple[tuple[str, Any, str | None, Any], ...] = (),
                 provided: tuple[str, ...] = (), summaries: tuple[str, ...] = ()) -> None:
        self.messages = messages
        """A copy of the messages read (compared with a state's to see what was appended)."""
        self.texts = texts
        """The user messages' texts."""
        self.users = users
        self.carrying = carrying
        """The call ids of tool messages that show the model a result (not a denial, rejection or pause)."""
        self.unmarked = unmarked
        """(call id, content, tool of the call it answers, digest) of those no guard node marked as its own
        (no vfa artifact, digest None: another node's, or the node's own with its artifact lost on the
        way), and of those whose artifact records the digest of what the gate wrote (`GuardMiddleware`:
        a middleware past it may hand back a gate message it kept, of another call); see `_shown_otherwise`."""
        self.provided = provided
        """The ids of the tools a provider ran inside the model's turns (`provider_ran`), and of the results
        other messages carry (`results_elsewhere`): results no node wrote, shown to the model where no gate
        sees them."""
        self.summaries = summaries
        """Names ("summary:<id>") of the messages a node wrote from the conversation (`_written_by_a_node`):
        on a thread first seen holding one, they stand for a conversation this flow never labelled."""

    def extended(self, messages: list[Any]) -> _Scan:
        """The scan of `messages`, which begin with this scan's."""
        texts, carrying, unmarked, provided, summaries = self.texts, None, self.unmarked, self.provided, self.summaries
        for at in range(len(self.messages), len(messages)):
            m = messages[at]
            if isinstance(m, AIMessage):
                ran = provider_ran(m)
                if ran:
                    provided = (*provided, *ran)
            elif isinstance(m, ToolMessage):
                info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
                if not (isinstance(info, dict) and info.get("outcome") in _NO_RESULT) and not (
                        info is None and echoes_its_call(messages, at)):
                    if carrying is None:
                        carrying = set(self.carrying)
                    carrying.add(m.tool_call_id)
                    if info is None or "digest" in info:
                        # the tool that ran: the one a reviewer's edit redirected the call to, as the gate
                        # records it, else the model's call's
                        reviewed = info.get("reviewed") if info is not None else None
                        tool = reviewed.get("tool") if isinstance(reviewed, dict) else None
                        unmarked = (*unmarked, (m.tool_call_id, CLEARED if _cleared(m) else m.content,
                                                tool if isinstance(tool, str) else _called(messages, at),
                                                None if info is None else info["digest"]))
            else:
                if isinstance(m, HumanMessage) and not _written_by_a_node(m):
                    texts = (*texts, users_text(m.content))
                elif isinstance(m, HumanMessage):
                    summaries = (*summaries, f"summary:{m.id or at}")
                shown = results_elsewhere(m)
                if shown:
                    provided = (*provided, *shown)
        return _Scan(list(messages), texts, self.users if texts is self.texts else _users_forms(texts),
                     self.carrying if carrying is None else frozenset(carrying), unmarked, provided, summaries)


_MODEL_BLOCKS = frozenset({"text", "output_text", "reasoning", "thinking", "redacted_thinking", "refusal",
                           "tool_call", "tool_call_chunk", "invalid_tool_call", "tool_use", "function_call",
                           "custom_tool_call", "image", "image_url", "audio", "file", "video",
                           "reasoning_content"})
"""Content blocks of a model turn that show nothing a provider's tool read: the model's own text, reasoning and
media, and the calls the app's tool node runs (through the gate). Every other block (a `server_tool_result`,
Anthropic's `web_fetch_tool_result`, OpenAI's `web_search_call` or `mcp_list_tools`, a `non_standard` one) is
taken for a tool the provider ran (fail closed)."""

_BEDROCK_MODEL_BLOCKS = frozenset({"text", "toolUse", "reasoningContent", "image", "document", "video"})
"""The same for Bedrock's Converse API, whose blocks name their kind by their one key and no "type" (as a log of
its messages holds them; LangChain's translator leaves them `non_standard`): the model's text, the calls the
app's tool node runs, reasoning and media."""

_PROVIDER_KEYS = ("tool_output", "executed_tool", "search", "citation", "grounding", "url_context", "annotation",
                  "retriev")
"""Where providers' messages keep what their built-in tools read outside the content, in `additional_kwargs` or
`response_metadata`: every key that names one of these (LangChain's formats: OpenAI's older `tool_outputs`,
Groq's `executed_tools`, Perplexity's `search_results` and `citations`, Google's `grounding_metadata` and
`url_context_metadata`), and "context" (Azure's retrieved documents)."""


def provider_ran(m: Any) -> tuple[str, ...]:
    """The ids of the tools a provider ran inside a model turn (a built-in tool such as a web search or a
    fetch, passed to the model as a dict): their results reach the model in its own response, past every
    gate, so each is a result no node labelled. Read from the turn's content blocks as written and as
    LangChain's translator for the provider reads them (`content_blocks`), and from the keys providers
    keep such results under; a block without an id is named by the turn and its place."""
    kwargs, meta, content = m.additional_kwargs, m.response_metadata, m.content
    if content.__class__ is str and not kwargs and not meta:
        return ()  # a plain text turn, as most are
    found: list[str] = []
    views = [content] if isinstance(content, list) else []
    if views or kwargs:  # a plain text turn, as most are, holds no block of a provider's tool
        try:
            views.append(m.content_blocks)
        except Exception:  # a translator that cannot read the turn: the turn may hold anything (fail closed)
            found.append(f"provider:{m.id}:unread")
    for view_at, view in enumerate(views):
        for at, block in enumerate(view if isinstance(view, list) else ()):
            if isinstance(block, str):  # text
                continue
            if isinstance(block, dict) and block.get("type") == "non_standard" and isinstance(block.get("value"), dict):
                block = block["value"]  # a block the translator does not know, as the provider wrote it
            kind = block.get("type") if isinstance(block, dict) else None
            if kind in _MODEL_BLOCKS or (kind is None and isinstance(block, dict) and len(block) == 1
                                         and next(iter(block)) in _BEDROCK_MODEL_BLOCKS):
                continue
            given = block.get("id") or block.get("tool_use_id") or block.get("tool_call_id") if isinstance(
                block, dict) else None
            found.append(f"provider:{given if isinstance(given, str) and given else f'{m.id}:{view_at}:{at}'}")
    for where in (kwargs, meta):
        if isinstance(where, dict):
            found.extend(f"provider:{m.id}:{key}" for key, value in where.items() if value and isinstance(key, str) and (
                key == "context" or any(part in key.lower() for part in _PROVIDER_KEYS)))
    return tuple(dict.fromkeys(found))


def users_text(content: Any) -> str:
    """What a person wrote in a message (`_message_text`), without the tool results its blocks return
    (`results_elsewhere`): no person wrote those."""
    if isinstance(content, list) and any(_is_result(b) for b in content):
        content = [b for b in content if not _is_result(b)]
    return _message_text(content)


_RESULT_ROLES = frozenset({"tool", "function"})
"""The roles of a `ChatMessage` that return a tool's result."""


def results_elsewhere(m: Any) -> tuple[str, ...]:
    """The ids of the results a message other than a `ToolMessage` shows the model: the `tool_result` (and
    Bedrock's `toolResult`) blocks of a user turn and OpenAI's `FunctionMessage`, as a history in a
    provider's own format holds them (their calls never in `tool_calls`, so no gate labelled them), and
    a `ChatMessage` of a tool's role."""
    if isinstance(m, HumanMessage):
        blocks = m.content if isinstance(m.content, list) else ()
        found = []
        for at, block in enumerate(blocks):
            if not _is_result(block):
                continue
            inner = block.get("toolResult")
            given = inner.get("toolUseId") if isinstance(inner, dict) else block.get("tool_use_id")
            found.append(f"user-result:{given if isinstance(given, str) and given else f'{m.id}:{at}'}")
        return tuple(found)
    if isinstance(m, FunctionMessage) or (isinstance(m, ChatMessage) and str(m.role).lower() in _RESULT_ROLES):
        return (f"function-result:{m.id}",)
    return ()


CLEARED = object()
"""The content of a tool message an app cleared from what the model reads (`_cleared`): it shows less than
the result it stands for, never more."""


def _cleared(m: ToolMessage) -> bool:
    """Whether a tool message is one LangChain's `ContextEditingMiddleware` cleared (its content the app's
    placeholder, marked so in its metadata by the app's code): it counts as the record of its id, when the
    flow has one of a call of the same tool, for it shows the model less than that result."""
    editing = m.response_metadata.get("context_editing") if isinstance(m.response_metadata, dict) else None
    return isinstance(editing, dict) and editing.get("cleared") is True and isinstance(m.content, str)


def _called(messages: Sequence[Any], at: int) -> str | None:
    """The tool of the call the tool message at `at` answers, or None when no turn shows it (trimmed)."""
    found = _call_of(messages, at)
    return str(found[0].get("name")) if found is not None and not found[1] else None


def _call_of(messages: Sequence[Any], at: int) -> tuple[Mapping[str, Any], bool] | None:
    """The call the tool message at `at` answers (in the last model turn before it with a call of its
    id), and whether it is one whose arguments did not parse (`invalid_tool_calls`); None if none."""
    call_id = messages[at].tool_call_id
    for before in reversed(messages[:at]):
        if isinstance(before, AIMessage):
            call = next((c for c in before.tool_calls if c.get("id") == call_id), None)
            if call is not None:
                return call, False
            call = next((c for c in before.invalid_tool_calls if c.get("id") == call_id), None)
            if call is not None:
                return call, True
    return None


def _written_by_a_node(m: HumanMessage) -> bool:
    """Whether a human message was written by a node, not typed by the user: LangChain marks those it
    makes from the conversation (a summary of it) with `lc_source`, and such text may quote anything
    the model read, an injection too. It grounds nothing."""
    kwargs = m.additional_kwargs
    return bool(kwargs.get("lc_source")) if isinstance(kwargs, dict) else False


_STRUCTURED = "Returning structured response: "
"""How LangChain's agent answers the model's structured answer (`ToolStrategy`), before the answer itself."""


def _fixed_replies(name: str, call_id: str, *, invalid: bool = False) -> tuple[str, ...]:
    """The tool messages LangChain's agent writes for a call with no tool run, in its own words: a
    person's rejection without a reason of their own, a call limit's, and `TodoListMiddleware`'s refusal
    of parallel `write_todos` calls (Auto Mode's block, which names a number: `_blocked_as_risky`); for a
    call whose arguments did not parse (`invalid`: the model turn's `invalid_tool_calls`), the model node's
    reply to it."""
    if invalid:
        return (f"Tool call {name or 'unknown'} with id {call_id} could not be executed - arguments were "
                "malformed or truncated.",)
    return (f"User rejected the tool call for `{name}` with id {call_id}. The tool was not executed. Do not "
            "retry this tool call unless the user explicitly requests it.",
            f"Tool call limit exceeded. Do not call '{name}' again.",
            "Tool call limit exceeded. Do not make additional tool calls.",
            "Execution stopped before this tool call could run because another tool call in the same batch "
            "exceeded the limit.",
            "Error: The `write_todos` tool should never be called multiple times in parallel. Please call it only "
            "once per model invocation to update the todo list.")


_RISKY = ("The tool call `{}` was blocked because it was classified as risky (probability: ",
          "). The tool was not executed.")
"""LangChain's `AutoModeMiddleware`'s reply to a call its decision model blocked, around the probability."""


def _blocked_as_risky(text: str, name: str) -> bool:
    """Whether `text` is `AutoModeMiddleware`'s reply to a blocked call of `name`: its words around a
    probability as it writes one (two decimals, from 0.50, where it starts to block, to 1.00). The number
    is its classifier's, a few bits at most; any other character is none of its replies."""
    head, tail = _RISKY[0].format(name), _RISKY[1]
    if not (text.startswith(head) and text.endswith(tail)):
        return False
    number = text[len(head):len(text) - len(tail)]
    return len(number) == 4 and number[:2] in ("0.", "1.") and number[2:].isdigit() and 0.5 <= float(number) <= 1.0


def echoes_its_call(messages: Sequence[Any], at: int) -> bool:
    """Whether the tool message at `at` is one LangChain's agent writes with no tool run, which shows the
    model nothing it did not write: one of its fixed replies to that call (`_fixed_replies`), or its
    echo of a structured answer (`_STRUCTURED`, then the answer as LangChain writes it: `_echoes`). Such
    a message carries no result though no gate wrote it; any other text (a value, a person's reason,
    a character no one sees, content in blocks) and it may carry anything: a result."""
    m = messages[at]
    if not isinstance(m.content, str):  # LangChain writes these as text: blocks may carry more than their text
        return False
    found = _call_of(messages, at)
    if found is None:
        return False
    call, invalid = found
    text = m.content
    if len(text) > _ECHO_CHARS or any(ch not in "\n\t" and unicodedata.category(ch)[0] == "C" for ch in text):
        return False
    if text in _fixed_replies(str(call.get("name") or "") if invalid else str(call.get("name")), str(call.get("id")),
                              invalid=invalid):
        return True
    if not invalid and _blocked_as_risky(text, str(call.get("name"))):
        return True
    return not invalid and text.startswith(_STRUCTURED) and _echoes(text[len(_STRUCTURED):], call)


def _echoes(text: str, call: Mapping[str, Any]) -> bool:
    """Whether `text` is what LangChain writes of a structured answer parsed from the call's arguments
    as they are: a pydantic model's str, its (or a dataclass's) repr under the call's name, or a dict's.
    Exactly: any other character, a mark or a word in another order, could spell what the model never
    wrote. An answer the parse changed (a number made a float, a nested model) is none (fail closed)."""
    args = call.get("args")
    if not isinstance(args, dict):
        return False
    try:
        fields = [f"{k}={v!r}" for k, v in args.items()]
        return text in (repr(args), " ".join(fields), f"{call.get('name')}({', '.join(fields)})")
    except Exception:  # noqa: BLE001 - a value whose repr raises or recurses: no echo (fail closed)
        return False


def _shows(content: Any, tool: str | None, o: Any, digest: Any = None) -> bool:
    """Whether a message, answering a call of `tool`, is the node's own message of observation `o`: the
    same call's, and, when its artifact records the `digest` of what the gate wrote, that digest is of
    what the node writes for `o`; with none (its artifact lost), its content is: the text, an error after
    "<tool> failed: " (also in one text block), content blocks as the blocks the flow's text holds, as one text block, or as their
    texts a line each, as a conversion to text writes them."""
    if tool is not None and tool != o.tool:
        return False
    if content is CLEARED:
        return True
    if digest is not None:
        return digest in _digests(o)
    if content == o.text:  # as the node wrote it: no need to read the text as blocks
        return True
    written, blocks = _written(o)
    return content in written or (blocks is not None and content == _message_text(blocks))


def _written(o: Any) -> tuple[list[Any], list[Any] | None]:
    """What a guard node writes for observation `o` (see `_shows`), and its text read as content blocks
    (None: it is none)."""
    text = o.text
    blocks = None
    if text.startswith("["):
        try:
            blocks = json.loads(text)
        except ValueError:
            pass
    failed = f"{o.tool} failed: {text}"
    # an error the tool answered with in blocks (langchain-mcp-adapters' for an MCP server's error): the gate's
    # words for it in one text block, as `graphs._gate._shown` writes them in place of the tool's blocks
    written: list[Any] = [text, failed, [{"type": "text", "text": text}], [{"type": "text", "text": failed}]]
    if not isinstance(blocks, list):
        return written, None
    written.append(blocks)
    return written, blocks


def _digests(o: Any) -> frozenset[str]:
    """The digests of what a guard node writes for observation `o`, worked out once per observation and
    text: a thread's gate messages are checked at every model call and every call's labelling
    (`_shown_otherwise`), and each result parsed and hashed again there cost a call the bytes the thread
    had read, a thread their square."""
    text = o.text
    kept = getattr(o, "_digests", None)
    if kept is not None and kept[0] is text:
        return kept[1]
    digests = frozenset(map(content_digest, _written(o)[0]))
    if hasattr(o, "_digests"):  # an observation (its text set again, as the flow may, is worked out again)
        o._digests = (text, digests)
    return digests


_ECHO_CHARS = 16_384
"""Longer tool messages than this are taken for results without being read."""


_NO_USERS = _users_forms(())
_NO_SCAN = _Scan([], (), _NO_USERS, frozenset())


def _messages_in(state: Any, keys: Sequence[str]) -> list[Any] | None:
    """The messages a graph state holds under the first of `keys` it has (a dict state, or a pydantic /
    dataclass one); None when it holds no list there."""
    messages = None
    mapping = state.__class__ is dict or isinstance(state, Mapping)
    for key in keys:
        messages = state.get(key) if mapping else getattr(state, key, None)
        if messages is not None:
            break
    return messages if isinstance(messages, list) else None


def _users_before_calls(messages: list[Any]) -> dict[str, tuple[str, frozenset[str]]]:
    """Call id -> the forms of the user messages before the model turn that proposed it (what its
    arguments were labelled with when it was proposed)."""
    texts: tuple[str, ...] = ()
    forms = _NO_USERS
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for m in messages:
        if isinstance(m, HumanMessage) and not _written_by_a_node(m):
            texts = (*texts, users_text(m.content))
            forms = None
        elif isinstance(m, AIMessage) and m.tool_calls:
            if forms is None:
                forms = _users_forms(texts)
            for call in m.tool_calls:
                out.setdefault(str(call.get("id") or ""), forms)
    return out


_NO_RESULT = frozenset({"denied", "rejected", "paused", "structured"})
"""Outcomes (in a guard node's tool message artifact) whose message shows no tool result; "structured"
marks `GuardMiddleware`'s reading of the agent's reply to the model's structured answer."""


_ENDINGS = ("committed", "ran", "failed", "denied", "rejected", "paused")
"""The kinds of entry a call's record can end with, as a message claiming no result is checked against it."""


def _keyed_for(key: str, call_id: str) -> bool:
    """Whether `key` is one a guard node files its own refusal of the call `call_id` answers under: the call's
    id and a suffix of its own (`<id>#reused-…`, `<id>#duplicate`, a plan's), or a fresh one for an id the
    journal cannot file (`vfa-invalid-…`): never another call's, which a forged artifact could name."""
    if key == call_id or key.startswith(f"{call_id}#"):
        return True
    return key.startswith("vfa-invalid-") and not (0 < len(call_id) <= 256 and _storable(call_id))


def _ended_as(journal: Any, thread_id: str, key: str, outcome: str) -> bool:
    """Whether the journal's record under `key` ends as a message claiming `outcome` says (a denial: denied, or
    failed with the verdict of a call denied as it was recovered from a crash; a person's reject; a pause)."""
    ended = journal.entries(thread_id, call_id=key, kinds=_ENDINGS)
    last = ended[-1] if ended else None
    if last is None:
        return False
    if outcome == "denied":
        return last.kind == "denied" or (last.kind == "failed" and isinstance(last.data.get("verdict"), dict))
    return last.kind == outcome


class _Threads:
    """`PrivacyFlow`'s keeping of threads (its state is set up in `PrivacyFlow.__init__`)."""

    @property
    def plain_thread(self) -> str:
        """The thread a gated tool's calls made outside any graph run (and given no thread id) are kept on:
        its user's own. One thread for every such call of every user would be one conversation of them all
        on a journal their flows share: another user's results labelled here, their handles minted here
        under the shared secret (and so resolved), their calls' records answering a call of the same id."""
        user = "\0".join(sorted(self.policy.user))
        return "plain-" + hashlib.sha256(user.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def call_digest(self, text: str) -> str:
        """A digest of a plain call's tool and arguments (`text`), keyed by the handles' secret, for its id
        (`graphs._gate._plain_id`): its arguments may hold the values behind handles (a tool given them calls
        another gated tool with them), and the id is traced and journaled, where an unkeyed digest of a PIN or
        a date is found by hashing every candidate. Stable where the handles are (a fixed `secret`)."""
        return self.store.digest(f"plain call\0{text}")[1:]

    def forget(self, thread_id: str) -> None:
        """Drop what this flow holds for a thread (its observations, index and handles); while a call
        on it runs, once that call is done. Should the thread go on, it is rebuilt from the journal,
        or its arguments are labelled fail-closed."""
        with self._lock:
            if thread_id in self._held:  # a call on it runs: dropped when the last one is done
                self._forgotten.add(thread_id)
            else:
                self._drop(thread_id)
                self._scrub()

    def _scrub(self) -> None:
        """Empty the caches threads share, keyed and filled by what their results held (a result's text, a
        record's key, a handle's value): a thread erased (`forget`) leaves none of its values in memory. They
        are caches: what they held is worked out again (a thread dropped for room keeps them)."""
        self._memo.clear()
        self._records.clear()
        self._clean.clear()
        self._grants.clear()  # keyed by a record's sources: its key and its readers' addresses, in clear
        self._contexts.clear()  # their plans, and the leaves' labels, are keyed by a result's field names: its keys
        self._leaf_cache.clear()
        # and the process's caches of texts the flows' labelling fills (shared by every flow, worked out again)
        forget_texts()
        forget_cuts()
        forget_recipients()
        forget_labels()
        forget_steps()
        re.purge()  # `re` keeps the patterns it compiled: those withholding handles' values spell them (`HandleStore._telling`)

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
            self._scrub()
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
        self._blind.pop(thread_id, None)
        self._marks.pop(thread_id, None)
        self._indexes.pop(thread_id, None)
        self._scans.pop(thread_id, None)
        self._watched.pop(thread_id, None)
        self._calls_index.pop(thread_id, None)
        self.store.forget(thread_id)
        self._handle_forms.pop(thread_id, None)
        self._disclosures.pop(thread_id, None)

    def _unheard(self, thread_id: str) -> bool:
        """True when the journal certainly holds nothing of the thread (a new conversation): nothing to
        rebuild. Asked of a thread the flow holds nothing of, no rebuild of it running."""
        may_hold = getattr(self.journal, "may_hold", None)
        return self.journal is None or (may_hold is not None and not may_hold(thread_id))

    def _unwritten(self, thread_id: str) -> bool:
        """True when the journal holds no entry of the thread: `_unheard`, else read (`may_hold` says yes
        to every thread of a journal holding more than it keeps in memory)."""
        return self._unheard(thread_id) or not self.journal.entries(thread_id)

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
                            self._unseen(thread_id, carrying - (known or frozenset()))
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
        wanted = {e.call_id for e in entries if e.kind in ("ran", "committed", "failed", "denied")} - known
        # results the flow found shown and never labelled (the messages showing them may be gone)
        self._blinded(thread_id, {str(e.data.get("id")) for e in entries if e.kind == UNOBSERVED})
        # what the calls that ran disclosed, in order, and those of effects that began: one cut off (a run
        # stopped, a crash) may have sent its arguments, though no result is on record
        sent: dict[str, Any] = {}  # call id -> its arguments as last proposed or edited
        for e in entries:
            if e.kind in ("proposed", "edited") and isinstance(e.data.get("args"), dict):
                sent[e.call_id] = e.data["args"]
            elif e.kind in ("started", "restarted", "ran", "committed", "failed"):
                self._disclosed(thread_id, self._spec(e.tool), sent.get(e.call_id), e.call_id)
        if carrying is None:
            missing = wanted
        scan = self._scans.get(thread_id)
        # each call labelled with the user messages before it, as it was live (a later one may hold an
        # argument an injection wrote); one no longer in the messages, with none (fail closed)
        users_at = _users_before_calls(scan.messages) if scan is not None else {}
        undeclared: set[str] = set()  # results of tools no node this flow serves declares (renamed, not yet built)
        labels: dict[str, list[Label]] = {}
        secrets: dict[str, list[Label]] = {}
        proposed: dict[str, dict[str, Any]] = {}
        written: dict[str, Any] = {}  # call id -> the model's call as written, which a person's edit is told from
        before: dict[str, str] = {}  # call id -> the kind of its entry before this one (see `refused_by_node`)
        for e in entries:
            previous = before.get(e.call_id)
            before[e.call_id] = e.kind
            if e.call_id not in wanted:
                continue
            if e.kind in ("proposed", "edited"):  # its arguments, labelled from what was seen before it
                raw = e.data.get("args")  # journaled as written: validated as on the first run
                args = as_validated(self._spec(e.tool), raw) if isinstance(raw, dict) else raw
                users = users_at.get(e.call_id, _NO_USERS)
                if e.kind == "proposed":
                    written.setdefault(e.call_id, raw)
                elif e.call_id in written:  # what the person typed into it is their word, as it was live
                    users = _with_users(users, _typed_by_person(raw, as_asked(self._spec(e.tool), written[e.call_id])))
                labels[e.call_id] = list(self._label_args(args, thread_id, users, None, raw).values()) \
                    if isinstance(args, dict) else []
                secrets[e.call_id] = self.secrets_in(args, thread_id)
                proposed[e.call_id] = args if isinstance(args, dict) else {}
            elif e.kind == "denied":  # the denial's text, as `observe_denial` showed it
                with self._lock:
                    done = (thread_id, e.call_id) in self._obs
                if not done and previous != "proposed":  # a guard's denial, not the node's own refusal
                    self.observe_denial(Proposal(call_id=e.call_id, tool=e.tool, args=proposed.get(e.call_id, {}),
                                                 thread_id=thread_id), denial_text(e.tool, denied_verdict(e.data)))
            elif e.kind == "failed" and isinstance(e.data.get("verdict"), dict):  # denied when recovered from a crash
                with self._lock:
                    done = (thread_id, e.call_id) in self._obs
                if not done:
                    self.observe_denial(Proposal(call_id=e.call_id, tool=e.tool, args=proposed.get(e.call_id, {}),
                                                 thread_id=thread_id), denial_text(e.tool, denied_verdict(e.data["verdict"])))
            elif e.kind in ("ran", "committed", "failed"):
                spec = self._spec(e.tool)
                with self._lock:
                    done = (thread_id, e.call_id) in self._obs
                if spec is not None and not done:
                    decl = source_of(spec.meta)
                    if e.kind == "failed":  # labelled as `observe_error` labels it
                        decl = _error_source((decl.kind if decl is not None else "") or e.tool)
                        result = e.data.get("cause", e.data.get("error"))  # as the tool raised it
                    else:  # the values JSON could not carry, objects again (labelled whole, as live)
                        result = recorded_result(e.data)
                    self.record(thread_id, e.call_id, e.tool, decl, result, inputs=labels.get(e.call_id, ()),
                                secrets=secrets.get(e.call_id, ()), args=proposed.get(e.call_id))
                elif spec is None and not done:
                    undeclared.add(e.call_id)
        # a result on record with no declaration to label it by is one this flow never labelled (fail closed)
        self._blinded(thread_id, undeclared)
        if carrying is None:  # read whole, and every result restored: not read again (a read or a restore that failed raised)
            with self._lock:
                self._unrecorded.setdefault(thread_id, set())
                if len(self._unrecorded) > self.max_threads:  # bounded like the threads themselves
                    del self._unrecorded[next(iter(self._unrecorded))]
        left = missing - self._thread_seen.get(thread_id, set())
        if carrying is None:
            self._unrecord(thread_id, left)
        else:
            self._unseen(thread_id, left)
        return left

    def _unseen(self, thread_id: str, calls: Collection[str]) -> None:
        """Note results the messages show that the journal holds no record of (`_unrecord`), and journal
        each the first time (an "unobserved" entry under "<call id>#unobserved"): every later argument
        on the thread is labelled for want of knowing it, and an audit of the journal must know that
        too once the messages showing it are trimmed."""
        with self._lock:
            new = sorted(set(calls) - self._unrecorded.get(thread_id, set()))
        if new and self.journal is not None:
            scan = self._scans.get(thread_id)
            names = {str(m.tool_call_id): str(m.name or "") for m in (scan.messages if scan is not None else ())
                     if isinstance(m, ToolMessage)}
            self.journal.append([(thread_id, f"{c}#{UNOBSERVED}", names.get(c, ""), UNOBSERVED, {"id": c}) for c in new])
        self._unrecord(thread_id, calls)

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

    def _shown_otherwise(self, thread_id: str, unmarked: tuple[tuple[str, Any, str | None, Any], ...]) -> set[str]:
        """The calls on record under whose id a message no guard node marked shows another call's result,
        or another text than the node wrote: the model chooses its calls' ids, so a result another node
        wrote under one the node used (or denied), or under the id of a later call that echoed it, is one
        this flow never labelled; journaled as such (`_unseen`)."""
        obs = self._obs
        found = {c for c, content, tool, digest in unmarked
                 if (o := obs.get((thread_id, c))) is not None and not _shows(content, tool, o, digest)}
        if found:
            self._unseen(thread_id, found)
        return found

    def _forged(self, thread_id: str, messages: list[Any], start: int) -> list[str]:
        """The tool messages from `start` on that carry a guard node's artifact but are not what a guard node
        wrote, each named "<call id>#forged": the artifact is data anyone writing the state can copy or make
        up (an app's `update_state`, a restored conversation). One claiming a denial, a reject or a pause (read
        as showing no result) must answer a call the journal holds; one claiming a result must show what the
        node wrote for its call, where this flow observed it (else the journal's record is read for it, as
        for any result). Read once per message, as the scan grows."""
        found: list[str] = []
        obs = self._obs
        for at in range(start, len(messages)):
            m = messages[at]
            if not isinstance(m, ToolMessage):
                continue
            info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
            if not isinstance(info, dict) or "digest" in info:  # none, or a middleware's: `_shown_otherwise` reads it
                continue
            outcome, call_id = info.get("outcome"), str(m.tool_call_id)
            if outcome in ("denied", "rejected", "paused"):
                on_record = info.get("call_id")  # a call refused under a key of its own (`GuardNode._refuse`)
                key = on_record if isinstance(on_record, str) and _keyed_for(on_record, call_id) else call_id
                if self.journal is not None and not _ended_as(self.journal, thread_id, key, outcome):
                    found.append(f"{call_id}#forged")
            elif outcome != "structured":
                o = obs.get((thread_id, call_id))
                if o is not None and m.content is not o.text and not _shows(
                        CLEARED if _cleared(m) else m.content, _called(messages, at), o):
                    found.append(f"{call_id}#forged")
        return found

    def _blinded(self, thread_id: str, calls: Collection[str]) -> None:
        """Note results shown on a thread that this flow never labelled: every later argument on it is
        labelled for want of knowing them, whatever the messages then show (`PrivacyFlow.label`)."""
        if calls:
            with self._lock:
                self._blind.setdefault(thread_id, set()).update(calls)
                if len(self._blind) > self.max_threads and self.journal is not None:
                    # bounded like the threads themselves, and the oldest goes whole: what else the flow
                    # held of it would pass for all it showed, while a thread read again from the journal
                    # is blinded again by its unobserved entries (with no journal, none is forgotten)
                    oldest = next((t for t in self._blind if t != thread_id and t not in self._held), None)
                    if oldest is not None:
                        self._drop(oldest)

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
        messages = _messages_in(state, self._message_keys)
        if messages is None:
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
        forged = self._forged(thread_id, messages, len(old.messages) if old is not None else 0)
        if forged:  # results no node wrote, as a provider's are: counted for good (the scan keeps them)
            scan.provided = (*scan.provided, *forged)
        with self._lock:
            if thread_id not in scans and len(scans) >= _RECENT:  # the most recently begun threads only
                del scans[next(iter(scans))]
            scans[thread_id] = scan
            watched = self._watched
            watched.pop(thread_id, None)  # the most recently extended last: the quietest goes first
            watched[thread_id] = None
            if len(watched) > self.max_threads:  # bounded like the threads themselves
                del watched[next(iter(watched))]
        return scan
