"""Privacy declarations: what a tool's output reveals (a source) and what its arguments disclose (a sink).

Tools carry these as metadata (`vfa.annotate`), so the flow tracker and the privacy guard read them from
`ToolSpec.meta` and nothing in the model's output can change them:

    @privacy_sink(disclose={"body": "to", "subject": "to"}, authority=["to"])
    @effect
    def send_email(to: list[str], subject: str, body: str) -> str: ...

    @privacy_source(private=["ssn", "address"], kind="profile")
    def get_profile() -> dict: ...
"""

# No `from __future__ import annotations`: the public classes here are re-homed to `guards` (their
# `__module__`), where `typing.get_type_hints` would look string annotations up and not find them.

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import getaddresses
from fnmatch import fnmatchcase
from functools import cached_property, lru_cache
from typing import Any, Literal, TypeVar, overload
from urllib.parse import unquote

import idna

from vfa import ConfigError, annotate
from vfa._tools import RESULT_SHAPE, json_value

from ._forms import _strings_of

__all__ = ["PUBLIC_SINK", "PrivacyPolicy", "Sink", "Source", "privacy_sink", "privacy_source"]

PUBLIC_SINK = "*"
"""A sink's recipients when it publishes (a web post, a search query): anyone may read it."""

SOURCE_KEY = "privacy_source"
SINK_KEY = "privacy_sink"


@dataclass(frozen=True)
class Source:
    """How a tool's output is labelled before the model sees it.

    The declaration names fields of the records a tool returns (dicts, anywhere in the result); it is
    applied to every record that has them.
    """

    private: frozenset[str] = frozenset()
    """Fields whose values are private: read only by the user and the record's own readers."""
    untrusted: frozenset[str] | bool = frozenset()
    """Fields holding untrusted content (an email body, a web page); True: the whole output."""
    handle: frozenset[str] | bool = True
    """Private fields shown to the model as opaque handles (True: all of them; False: none)."""
    readers_from: tuple[str, ...] = ()
    """Fields of a record listing who else may read its private fields (an email's `from`/`to`)."""
    kind: str = ""
    """What a record is ("email", "file"); names its sources, e.g. "email:7" and "email.body"."""
    key: str | None = None
    """The field identifying a record (an email's `id`), so a sink that refers to it can be labelled."""
    pure: bool = False
    """The output is computed from the arguments alone, no private state (an encoder, a formatter): the
    lint does not ask for a private declaration. A handle among the arguments still makes it a handle;
    else it is private to the arguments' readers, vouches for nothing (it echoes the model's words) and
    is never hidden for showing a handle's value (the model could compute it). The tool author's word:
    a tool that reads stored state is not pure."""
    shaped: bool = False
    """Records read from text that may have been shaped like them by whoever wrote it (an attachment
    that looks like JSON): every field also carries the label of the whole output (private to the user
    if any field is private, untrusted if any is); private fields are still shown as handles."""

    failure: bool = False
    """A tool's error text (`_walk._error_source`): untrusted whatever the policy's `trusted_sources` say,
    which vouch for what a source returns, never for what its failures quote (a server's answer)."""

    records: bool = False
    """Records the tool is annotated to return, reaching the flow as text (a ToolNode's JSON): a text that
    is no JSON is a record written by its repr (a model, a dataclass, a date JSON cannot write), whose
    private fields cannot be told apart: shown as one handle when any private field is handled."""

    def is_untrusted(self, name: str) -> bool:
        return self.untrusted is True or (not isinstance(self.untrusted, bool) and name in self.untrusted)

    def is_handled(self, name: str) -> bool:
        return name in self.private and (self.handle is True or (not isinstance(self.handle, bool) and name in self.handle))


@dataclass(frozen=True)
class Sink:
    """Which arguments of a tool disclose data to whom, and which need the user's authority."""

    disclose: Mapping[str, str] = field(default_factory=dict)
    """Argument -> the argument naming its recipients, or `PUBLIC_SINK` ("*") when it is published."""
    authority: frozenset[str] = frozenset()
    """Arguments that need the user's authority: they must not be derived from untrusted content."""
    refers: Mapping[str, str] = field(default_factory=dict)
    """Argument -> the kind of record it names (`forward_email.email_id` -> "email"); the disclosure
    carries that record's label. A record the agent never saw is treated as private to the user."""
    internal: frozenset[str] = frozenset()
    """Arguments the tool keeps to itself (disclosed to nobody). Any other argument the sink does not name
    in `disclose` is treated as disclosed to its most public audience (fail closed): to anyone when one
    of its disclosures is public or it names none, else to every recipient it names."""


_T = TypeVar("_T")  # a tool (function, @effect or LangChain tool): the decorators return it, declared


@overload
def privacy_source(fn: None = None, *, private: Collection[str] = (), untrusted: Collection[str] | bool = (),
                   handle: Collection[str] | bool = True, readers_from: Collection[str] = (), kind: str = "",
                   key: str | None = None, pure: bool = False) -> Callable[[_T], _T]: ...
@overload
def privacy_source(fn: _T, *, private: Collection[str] = (), untrusted: Collection[str] | bool = (),
                   handle: Collection[str] | bool = True, readers_from: Collection[str] = (), kind: str = "",
                   key: str | None = None, pure: bool = False) -> _T: ...
def privacy_source(fn: _T | None = None, *, private: Collection[str] = (), untrusted: Collection[str] | bool = (),
                   handle: Collection[str] | bool = True, readers_from: Collection[str] = (), kind: str = "",
                   key: str | None = None, pure: bool = False) -> _T | Callable[[_T], _T]:
    """Declare how a tool's output is labelled (decorator, in any order with `@effect`)."""
    private, untrusted, handle, readers_from = _names(private=private, untrusted=untrusted, handle=handle,
                                                      readers_from=readers_from)
    if pure.__class__ is not bool:  # read by truth: "no" would show a value the model may see only as a handle
        raise TypeError(f"pure must be True or False, not {type(pure).__name__} {pure!r:.60}")
    if not isinstance(kind, str) or not (key is None or isinstance(key, str)):  # they name sources and records
        what, value = ("kind", kind) if not isinstance(kind, str) else ("key", key)
        raise TypeError(f"{what} must be text{' or None' if what == 'key' else ''}, not {type(value).__name__} "
                        f"{value!r:.60}")
    decl = Source(private=frozenset(private), untrusted=untrusted if isinstance(untrusted, bool) else frozenset(untrusted),
                  handle=handle if isinstance(handle, bool) else frozenset(handle), readers_from=tuple(readers_from),
                  kind=kind, key=key, pure=pure)
    return _attach(fn, SOURCE_KEY, decl)


@overload
def privacy_sink(fn: None = None, *, disclose: Mapping[str, str] | None = None, authority: Collection[str] = (),
                 refers: Mapping[str, str] | None = None, internal: Collection[str] = ()) -> Callable[[_T], _T]: ...
@overload
def privacy_sink(fn: _T, *, disclose: Mapping[str, str] | None = None, authority: Collection[str] = (),
                 refers: Mapping[str, str] | None = None, internal: Collection[str] = ()) -> _T: ...
def privacy_sink(fn: _T | None = None, *, disclose: Mapping[str, str] | None = None, authority: Collection[str] = (),
                 refers: Mapping[str, str] | None = None, internal: Collection[str] = ()) -> _T | Callable[[_T], _T]:
    """Declare what a tool's arguments disclose and which need the user's authority (decorator).

    An argument not named in `disclose` (nor `internal`) counts as disclosed to the sink's most public audience.
    """
    authority, internal = _names(authority=authority, internal=internal)
    for what, given in (("disclose", disclose), ("refers", refers)):  # else a lint fails on it at the first run
        if given is not None and not (isinstance(given, Mapping) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in given.items())):
            raise TypeError(f"{what} must map each argument's name to one name (text), not {given!r:.80}")
    decl = Sink(disclose=dict(disclose or {}), authority=frozenset(authority), refers=dict(refers or {}),
                internal=frozenset(internal))
    return _attach(fn, SINK_KEY, decl)


def _names(**given: Any) -> tuple[Any, ...]:
    """The lists of names (or patterns) given, each as a tuple (a flag stays a flag); `ConfigError` for one
    given as one text, `TypeError` for one that is no list or holds anything but texts."""
    # read as names it would be its letters: "ssn" the fields "s" and "n", "file:tax/*" the pattern "*",
    # which matches every source
    out: list[Any] = []
    for what, value in given.items():
        if isinstance(value, str):
            raise ConfigError(f"{what} must be a list of names, got the string {value!r} (write [{value!r}])")
        if isinstance(value, bool) and what in ("untrusted", "handle"):
            out.append(value)
            continue
        if not isinstance(value, Iterable):
            # else "'NoneType' object is not iterable", naming nothing
            raise TypeError(f"{what} must be a list of names, not {type(value).__name__} {value!r:.80}")
        names = tuple(value)  # once: a generator read here would be empty where it is stored
        for name in names:
            if not isinstance(name, str):  # "" names the output itself (a text, no fields)
                # a field named 1 matches no field: what it was to keep private would be shown as given
                raise TypeError(f"{what} must be a list of names (texts), but holds "
                                f"{type(name).__name__} {name!r:.60}")
        out.append(names)
    return tuple(out)


def _attach(fn: Any, key: str, decl: Any) -> Any:
    if fn is None:
        return lambda f: _attach(f, key, decl)
    return annotate(fn, **{key: decl})  # a LangChain tool: on the code it runs, or on itself if it runs none


def recipients_of(value: Any) -> frozenset[str]:
    """The principals a recipients argument names (`principals`), and every address a mail parser reads
    in each one that is not a bare address ("Bob <bob@x.example>", "mailto:bob@x.example", "friends:
    bob@x.example;", "bob @ x.example" all name bob@x.example too, as a mail tool delivers them), and in
    a text argument whole (a quoted name may hold the commas the list is split at): one person written
    two ways is one recipient of everything sent to either."""
    return _recipients(value)[0]


def readers_in(value: Any) -> frozenset[str]:
    """The principals a record's readers field names (`recipients_of`), a text split as the header it is, at
    the commas and semicolons outside quotes, comments and angle brackets, each item read for its mailbox
    (`_mailbox`): the mail system parsed it, so the name in '"Wong, Alice" <alice@x.example>' names no
    reader "wong", and the address in '"larry@rent.example, Billing" <eve@y.example>' or
    'larry@rent.example <eve@y.example>' no sender a `trusted_sources` pattern matches."""
    texts = _header_texts(value)
    return recipients_of(value) if texts is None else frozenset().union(*(_read_header(t)[0] for t in texts))


def senders_told(value: Any) -> bool:
    """Whether a record's readers field tells each mailbox it names as every mail parser does (`_mailbox`):
    an item whose mailbox is not one to tell names no reader, and the field may then be anyone's, so a
    `trusted_sources` pattern vouches for none of it ('larry@rent.example, " <eve@y.example>' is no mail
    from larry@rent.example)."""
    texts = _header_texts(value)
    return texts is None or all(_read_header(t)[1] for t in texts)


def _header_texts(value: Any) -> tuple[str, ...] | None:
    """The texts of a readers field read as headers (`readers_in`); None for one read as recipients."""
    if value.__class__ is str and any(c in value for c in _HEADER):
        return (value,)
    if value.__class__ is list and all(v.__class__ is str for v in value) and any(c in v for v in value for c in _HEADER):
        return tuple(value)
    return None


_HEADER = '<(":'
"""The characters of a header item with more than a bare address: a display name, a comment, a quote or a
group's name."""


@lru_cache(maxsize=4096)
def _read_header(text: str) -> tuple[frozenset[str], bool]:
    """(The principals a header text names, whether each of its items' mailboxes is told: `_mailbox`)."""
    boxes = [_mailbox(item) for item in _header_items(text)]
    return _recipients_of_strs(tuple(box for box, _told in boxes))[0], all(told for _box, told in boxes)


def _mailbox(item: str) -> tuple[str, bool]:
    """The mailbox text of one header item: its angle addresses alone where it has any (what stands before
    one is a display name, quoted or not, and names no one: 'larry@rent.example <eve@y.example>' is eve's;
    a bracket left open names no one), else the item past a group's name ('larry@rent.example: eve@y.example;'
    is eve's); and whether that mailbox is told (`senders_told`). An item whose mailbox is not one to tell
    names no one: two angle addresses, a bracket inside one, or a quote or comment left open ('Larry
    <larry@rent.example> <eve@y.example>', 'larry@rent.example ( <eve@y.example>': a display name ends where
    the sender's own address begins, and may hold anything). Nor is one told with an address (an `@`) in its
    display name or group's name, where parsers read another mailbox ('eve@y.example (x) <larry@rent.example>'
    and 'eve@y.example: larry@rent.example;' are eve's to `email.headerregistry`), nor one without brackets
    that is more than one mailbox and comments (`_ADDR_SPEC`), though its readers are read as above."""
    plain, closed = _outside_quotes(item)
    angles: list[str] = []
    start: int | None = None
    colon, nested, square, literal, at = 0, False, False, False, -1
    for i, c in plain:
        if c == "<":
            nested = nested or start is not None
            start = i if start is None else start
        elif c == ">" and start is not None:
            angles.append(item[start:i + 1])
            start = None
        elif c in "[]" and start is None:
            square = c == "["
        elif c == ":" and start is None:
            # a domain literal's colons (joe@[IPv6:2001:db8::1]) end no group's name
            literal = literal or square
            colon = colon if square else i + 1
        elif c == "@" and start is None and at < 0:
            at = i
    if not closed or nested or len(angles) > 1 or (square and literal):  # which mailbox it is, is not known
        return "", False
    if angles or start is not None:
        return ", ".join(angles), at < 0 and start is None
    rest = "".join(c for i, c in plain if i >= colon).strip()  # its quoted parts and comments aside
    return item[colon:], (at < 0 or at >= colon) and (not rest or _one_spec(item[colon:], rest))


def _one_spec(text: str, plain: str) -> bool:
    """Whether a header item without brackets (`plain`: its text outside quotes and comments) is one mailbox
    and comments, read by the mail parser as that mailbox: else the parser may read one the text does not
    name ('eve@y.example ()@]larry@rent.example)' is larry's alone to a lax `getaddresses`, and so is
    '"larry@rent.example\\r" eve@y.example', a carriage return ending its quote)."""
    found = _addresses_in(text) if _ADDR_SPEC.fullmatch(plain) else None
    return found is not None and len(found) == 1 and found[0].endswith(_lower(plain))


_ADDR_SPEC = re.compile(r'[^\s@()<>\[\]:;,\\"]*@(?:[^\s@()<>\[\]:;,\\"]+|\[[^\[\]\\]*\])')
"""A mailbox outside its quotes and comments: a local part (empty where it is quoted) and a domain."""


def _mailboxes(principal: str) -> tuple[str, ...]:
    """The mailboxes one principal of a record's field stands for: the addresses read from it where it is
    written with a display name, a comment or a quote (none when they cannot be read), else itself."""
    if any(c in principal for c in _DISPLAY):
        return _addresses_in(principal) or ()
    return (principal,)


def _one_mailbox(box: str) -> bool:
    """Whether `box` is one mailbox a parser reads as itself: a local part, an `@` and a domain, no blank."""
    # a pattern's `*` matches anything: 'eve@y.example larry@rent.example' (Python's parser reads eve's) and
    # the '@rent.example' getaddresses makes of it would each match '*@rent.example'
    local, _at, domain = box.rpartition("@")
    return bool(local and domain) and not any(c.isspace() for c in box) and _addresses_in(box) == (box,)


def _header_items(text: str) -> tuple[str, ...]:
    """A header's recipients: `text` split at the commas and semicolons outside quotes, comments and angle
    brackets; linear in its length."""
    items: list[str] = []
    start, angle = 0, False
    for i, c in _outside_quotes(text)[0]:
        if c in "<>":
            angle = c == "<"
        elif c in ",;" and not angle:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return tuple(items)


def _outside_quotes(text: str) -> tuple[list[tuple[int, str]], bool]:
    """The characters of a header text outside its quoted strings and comments, each with its place, and
    whether every quote and comment the text opens is closed. One reading for splitting a header and for
    finding each item's mailbox, so the two never disagree on where a quote or comment ends (RFC 5322: a
    backslash escapes the next character inside either; comments nest, also within angle brackets)."""
    plain: list[tuple[int, str]] = []
    quoted, depth, escaped = False, 0, False
    for i, c in enumerate(text):
        if escaped:
            escaped = False
        elif (quoted or depth) and c == "\\":
            escaped = True
        elif quoted:
            quoted = c != '"'
        elif c == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
        elif depth:
            continue
        elif c == '"':
            quoted = True
        else:
            plain.append((i, c))
    return plain, not (quoted or depth)


def unreadable_recipients(value: Any) -> list[str]:
    """The recipients written in a form whose address cannot be read (who they reach is not known: the
    privacy guard denies them)."""
    return list(_recipients(value)[1])


def _recipients(value: Any) -> tuple[frozenset[str], tuple[str, ...]]:
    """(`recipients_of`, `unreadable_recipients`) of a recipients argument; worked out once per text or
    list of texts (the guard reads both of every recipients argument, and the same ones recur)."""
    if value.__class__ is str:
        return _recipients_of_str(value)
    if value.__class__ is list and all(v.__class__ is str for v in value):
        return _recipients_of_strs(tuple(value))
    return _read_recipients(value)


@lru_cache(maxsize=4096)
def _recipients_of_str(value: str) -> tuple[frozenset[str], tuple[str, ...]]:
    return _read_recipients(value)


@lru_cache(maxsize=4096)
def _recipients_of_strs(value: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    return _read_recipients(list(value))


def _read_recipients(value: Any) -> tuple[frozenset[str], tuple[str, ...]]:
    texts, blank = _recipient_texts(value)
    named = frozenset(texts)
    whole = _whole_text(value)
    odd = [p for p in named if not _BARE.fullmatch(p)]
    if whole is not None:
        odd.append(whole)
    recipients = named | frozenset(a for p in odd for a in _addresses_in(p) or ()) if odd else named
    urls = [_mailto(p) for p in named if p.startswith("mailto:")]
    if urls:
        recipients = recipients.union(*(r for r, _odd in urls))
    recipients = _with_spellings(recipients)
    tagged = [b for a in recipients if "+" in a and _BARE.fullmatch(a) and (b := _untagged(a)) is not None]
    if tagged:
        recipients = recipients.union(tagged)
    shown = [p for p in named if any(c in p for c in _DISPLAY)] + ([whole] if whole is not None else [])
    # an address written in a recipient that the parser reads out of none ("bob@x eve@y", two run together
    # with a blank; an address of any script, a dotless domain or a domain literal too: "bob@ｆamily.example
    # eve@ｅlse.example" is delivered to eve@else.example) may reach its owner all the same, and a mailbox read
    # without its local part ("@else.example") is no one's: whom the text reaches is not known
    missed = [p for p in odd if not recipients.issuperset(_ANY_ADDRESS.findall(p))
              or any(a.startswith("@") for a in _addresses_in(p) or ())]
    return recipients, tuple(sorted({*(p for p in shown if _addresses_in(p) is None), *missed, *blank,
                                     *(u for _r, odd_ in urls for u in odd_)}))


def _mailto(url: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(`recipients_of`, `unreadable_recipients`) of the mailboxes a mailto: URL (lower-cased) sends to, as a
    mail tool opening it does (RFC 6068): its addresses and those of its `to`, `cc` and `bcc` fields, each
    percent-decoded, whatever other fields it has ('mailto:bob@x.example?subject=Hi' and
    'mailto:%62ob@x.example' are bob's, 'mailto:eve@y.example?cc=bob%40x.example' bob's too)."""
    path, _q, query = url[len("mailto:"):].partition("?")
    fields = [path, *(v for k, _e, v in (f.partition("=") for f in query.split("&"))
                      if unquote(k).strip() in ("to", "cc", "bcc"))]
    text = ", ".join(unquote(f) for f in fields)
    if any(_lower(item.strip()).startswith("mailto:") for item in text.replace(";", ",").split(",")):
        return frozenset(), (url,)  # a URL in a URL: no mail tool's form, and read on it would recurse without end
    return _recipients_of_str(text)


def _untagged(address: str) -> str | None:
    """The mailbox a plus-tagged address (RFC 5233 subaddress) is delivered to at most providers:
    bob+notes@x.example is bob@x.example's, one recipient of a value cut across mails to either; None for
    an address with no tag, or nothing before it."""
    local, _at, domain = address.rpartition("@")
    base = local.split("+", 1)[0]
    return f"{base}@{domain}" if base and base != local else None


_ANY_ADDRESS = re.compile(r'(?<![^\s()<>\[\]:;@\\,"])[^\s()<>\[\]:;@\\,"]+@'
                          r'(?:[^\s()<>\[\]:;@\\,".\u3002\uff0e\uff61]+(?:[.\u3002\uff0e\uff61][^\s()<>\[\]:;@\\,".\u3002\uff0e\uff61]+)*'
                          r'|\[[^\[\]\s]*\])')
"""An address as a mail tool may read one out of a text: a local part and a domain of any characters but
blanks and a header's delimiters (of any script, combining marks too), the domain's labels parted by any
dot IDNA reads as one, or a domain literal (`_forms._EMAIL` finds ASCII ones with a dotted domain alone)."""

_BARE = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")
"""A recipient written as a bare address (lower-cased): it names no one else."""


def _whole_text(value: Any) -> str | None:
    """A text recipients argument with a display name, comment or quote in it, whole and lower-cased: the
    list split at its commas may cut a quoted name ('"Stone, Bob" <bob@x.example>') in two."""
    if value.__class__ is str and any(c in value for c in _DISPLAY):
        return _lower(value.strip())
    return None


_DISPLAY = "<(\""
"""The characters of a recipient written with a display name, a comment or a quoted name."""


def reaches_only(recipient: str, recipients: Collection[str]) -> bool:
    """Whether a recipient written with a display name, a comment or a quoted name reaches only addresses
    read from it that are `recipients` themselves: judged by them (`Bob <bob@x.example>` may read what
    bob@x.example may), its text kept for approvals. One whose address cannot be read reaches no one known
    (`unreadable_recipients`, denied apart). A bare mailbox written otherwise than plainly (eve@x.example.)
    reaches its plain spelling alone, and is judged by it where that is among `recipients`."""
    if not any(c in recipient for c in _DISPLAY):
        plain = _spelling(recipient)
        if plain is not None or _BARE.fullmatch(recipient):
            return plain is not None and plain in recipients
        # a group, a mailto: URL, an address with blanks around its `@` ("tax: carol@x.example;"): judged by the
        # mailboxes a mail tool reads in it, as one with a display name is (the text itself is no one's address)
        found: tuple[str, ...] = (*(_addresses_in(recipient) or ()),
                                  *(_mailto(recipient)[0] if recipient.startswith("mailto:") else ()))
        return bool(found) and all(_judged_apart(a, recipient, recipients) for a in found)
    found = _addresses_in(recipient)
    return bool(found) and all(_judged_apart(a, recipient, recipients) for a in found)


def _judged_apart(address: str, recipient: str, recipients: Collection[str]) -> bool:
    """Whether the mailbox `address`, read from `recipient`, is judged as a recipient of its own: its plain
    spelling is among `recipients`, or it is, other than `recipient` ('"eve smith"@y.example' reads as
    itself) and never passed over in turn (no display character, or it reads as itself)."""
    plain = _spelling(address)
    if plain is not None and plain in recipients and not any(c in plain for c in _DISPLAY):
        return True
    return address != recipient and address in recipients and (
        not any(c in address for c in _DISPLAY) or address in (_addresses_in(address) or ()))


@lru_cache(maxsize=4096)
def _addresses_in(recipient: str) -> tuple[str, ...] | None:
    """The addresses in one recipient written with a display name or a comment; None when it cannot be
    read: more than 16 brackets, quotes and parentheses (no address needs them; the parser recurses
    into each), or a form the parser fails on."""
    if sum(recipient.count(c) for c in _DISPLAY) > 16:
        return None
    try:
        return tuple(_lower(a.strip()) for _name, a in getaddresses([recipient]) if a.strip())
    except Exception:  # noqa: BLE001 - the parser's own failure: unreadable
        return None


def _with_spellings(addresses: frozenset[str]) -> frozenset[str]:
    """Addresses with the one spelling of each mailbox written otherwise (`_spelling`) beside them: one
    mailbox written two ways is one recipient of what is sent to either (a value cut across two calls)."""
    other = [s for a in addresses
             if ('"' in a or not a.isascii() or a.endswith(".")) and (s := _spelling(a)) is not None]
    return addresses.union(other) if other else addresses


@lru_cache(maxsize=4096)
def _spelling(address: str) -> str | None:
    """A mailbox's plain spelling, where it is written otherwise: a quoted local part that needs no quotes
    unquoted ("eve"@x.example is eve@x.example, RFC 5322 3.4.1), the root's dot after its domain dropped,
    a domain of other scripts in its ASCII form as IDNA 2008 writes it (UTS 46, non-transitional, as mail
    is delivered: eve@bücher.example is eve@xn--bcher-kva.example, and straße.example is not
    strasse.example); None when it has none."""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return None
    if len(local) > 2 and local[0] == local[-1] == '"' and _DOT_ATOM.fullmatch(local[1:-1]):
        local = local[1:-1]
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):  # no domain IDNA can write: as written
            pass
    if domain.endswith(".") and len(domain) > 1:  # the root: eve@x.example. is eve@x.example
        domain = domain[:-1]
    plain = f"{local}@{domain}"
    return plain if plain != address else None


@lru_cache(maxsize=4096)
def _in_its_script(address: str) -> str | None:
    """A mailbox whose domain is written in IDNA's ASCII form, with the domain in its own script (as a
    `trusted_sources` pattern may name it: larry@xn--bcher-kva.example is larry@bücher.example); None
    when it has none, or one that IDNA would not write back as this domain."""
    local, at, domain = address.rpartition("@")
    if not at or not local or "xn--" not in domain or not domain.isascii():
        return None
    try:
        script = idna.decode(domain)
        if idna.encode(script, uts46=True, transitional=False).decode("ascii") != domain:
            return None
    except (idna.IDNAError, UnicodeError, ValueError):  # no domain IDNA reads: no other spelling
        return None
    return f"{local}@{script}" if script != domain else None


def _lower(text: str) -> str:
    """A mailbox lower-cased as IDNA maps a domain's case: Σ is σ wherever it stands."""
    # str.lower writes a word's last Σ as ς, which IDNA 2008 keeps as a letter of its own: ΟΔΟΣ-1.example
    # would read as οδος-1.example, another domain than οδοσ-1.example, where mail to it goes
    return text.lower() if "\u03a3" not in text else text.replace("\u03a3", "\u03c3").lower()


_DOT_ATOM = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
"""A local part that needs no quotes (lower-cased)."""


def _recipient_texts(value: Any) -> tuple[list[str], list[str]]:
    """The recipients written in a recipients argument, stripped and lower-cased, and those of its typed
    recipients in which no text can be read (whom they reach is not known)."""
    if value is None:
        return [], []
    if isinstance(value, str):
        items: list[Any] = [v for v in value.replace(";", ",").split(",")]
    elif isinstance(value, Collection) and not isinstance(value, Mapping):
        items = list(value)
    else:
        items = [value]
    texts: list[str] = []
    blank: list[str] = []
    for v in items:
        if isinstance(v, str):
            texts.append(v)
            continue
        # a typed recipient (a contact model, a dict): every text the tool can read of it is one, never its
        # `str`, which may show a display name or nothing (a field kept out of its repr)
        plain = json_value(v)
        # a model's (or a dataclass's) fields are named by its schema, not written by the model: their
        # names aside, every key of a mapping counts (a mail tool may read its keys as the addresses)
        found = [t for x in plain.values() for t in _strings_of(x)] if isinstance(plain, dict) and not isinstance(
            v, Mapping) else _strings_of(plain)
        texts += found
        if not any(t.strip() for t in found):
            blank.append(f"a {type(v).__name__} with no address")
    return [_lower(t.strip()) for t in texts if t.strip()], blank


@dataclass(frozen=True)
class PrivacyPolicy:
    """The user's privacy policy: who the user is, who may read what, and what a violation does.

    Args:
        user: the user's own principals (addresses); data may always flow to them.
        grants: principal -> patterns of sources it may read (`{"cpa@tax.com": ["profile.ssn", "file:tax/*"]}`),
            added to the readers of matching values when they are labelled.
        trusted_sources: source patterns whose content counts as trusted although the tool declared it
            untrusted (e.g. "email:from:landlord@rent.co"); empty by default.
        on_violation: "deny" refuses a forbidden flow; "ask" escalates it to the user (declassification).
        undeclared_output: label of outputs of tools without a `Source`: "untrusted" (the default) or "trusted".
        context_taint: what the model has read that taints every argument it then writes, but for the
            user's own words and whole values a trusted tool gave: "untrusted" content (the default:
            such an argument loses the user's authority), or "private" content too: it also carries
            the readers of every private value the model read in clear (not behind a handle), so
            nothing it read reaches anyone who may not read it, paraphrased, encoded or computed
            (at the price of the tasks that send others what was read: see docs/privacy.md).
    """

    user: frozenset[str] = frozenset({"user"})
    grants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    trusted_sources: tuple[str, ...] = ()
    on_violation: Literal["deny", "ask"] = "deny"
    undeclared_output: Literal["untrusted", "trusted"] = "untrusted"
    context_taint: Literal["untrusted", "private"] = "untrusted"

    def __post_init__(self) -> None:
        if self.on_violation not in ("deny", "ask"):
            raise ValueError(f"on_violation must be 'deny' or 'ask', not {self.on_violation!r}")
        if self.undeclared_output not in ("untrusted", "trusted"):
            raise ValueError(f"undeclared_output must be 'untrusted' or 'trusted', not {self.undeclared_output!r}")
        if self.context_taint not in ("untrusted", "private"):
            raise ValueError(f"context_taint must be 'untrusted' or 'private', not {self.context_taint!r}")
        user = _addresses(self.user)
        if not isinstance(self.grants, Mapping):
            raise TypeError(f"grants must map each reader's address to its patterns, not {type(self.grants).__name__}")
        bad = [k for k in self.grants if not isinstance(k, str)]
        if bad:
            raise TypeError(f"grants must map readers' addresses (text) to patterns, not {bad[0]!r}")
        trusted = _patterns("trusted_sources", self.trusted_sources)
        given = {k: _patterns(f"grants[{k!r}]", v) for k, v in self.grants.items()}
        # people read as `of` reads them, however the policy is built (a policy `replace` copies reads alike)
        object.__setattr__(self, "user", frozenset().union(*(_one_person(u, "user") for u in user)))
        grants: dict[str, tuple[str, ...]] = {}
        for k, v in given.items():  # two keys naming one reader grant it the patterns of both
            for s in _one_person(k, "grants"):
                grants[s] = tuple(dict.fromkeys((*grants.get(s, ()), *v)))
        # the tags a pattern is matched against hold each mailbox lower-cased, as the guard reads them
        object.__setattr__(self, "trusted_sources", tuple(map(_folded, trusted)))
        object.__setattr__(self, "grants", {k: tuple(map(_folded, v)) for k, v in grants.items()})

    @classmethod
    def of(cls, user: str | Collection[str] = (), *, grants: Mapping[str, Collection[str]] | None = None,
           trusted_sources: Collection[str] = (), on_violation: Literal["deny", "ask"] = "deny",
           undeclared_output: Literal["untrusted", "trusted"] = "untrusted",
           context_taint: Literal["untrusted", "private"] = "untrusted") -> "PrivacyPolicy":
        """Build a policy from plain strings and lists."""
        # the rest is checked, and read, as the policy reads it however it is built (`__post_init__`)
        return cls(user=frozenset({"user", *_addresses(user)}), grants={} if grants is None else grants,
                   trusted_sources=trusted_sources, on_violation=on_violation,
                   undeclared_output=undeclared_output, context_taint=context_taint)

    @cached_property
    def addresses(self) -> frozenset[str]:
        """The user's configured addresses: `user` without the abstract principal "user", which stands for
        the user in labels but is matched against no argument (an argument "user" names nobody)."""
        return self.user - {"user"}

    def granted(self, sources: Collection[str]) -> frozenset[str]:
        """Principals the policy lets read a value with these sources."""
        return frozenset(p for p, pats in self.grants.items()
                         if any(_matches(s, pat) for s in sources for pat in pats))

    def trusts(self, sources: Collection[str]) -> bool:
        """True when the policy vouches for content from any of these sources."""
        return any(_matches(s, pat) for s in sources for pat in self.trusted_sources)

    def trusts_all(self, prefix: str, principals: Collection[str]) -> bool:
        """True when the policy vouches for each of the principals a record's field names (the source
        `prefix` + principal), each by every mailbox read from it, in any of its spellings: a mail from
        larry@rent.example and eve@y.example together is one eve may have written."""
        return all(any(_one_mailbox(box) and self.trusts([prefix + m for m in (box, _spelling(box), _in_its_script(box))
                                                          if m is not None])
                       for box in boxes) for boxes in map(_mailboxes, principals))


def _addresses(user: Any) -> Collection[str]:
    """The user's addresses a policy is given (one text or a list), as a list; `TypeError` for any other kind."""
    users = [user] if isinstance(user, str) else user
    if not isinstance(users, Collection) or not all(isinstance(u, str) for u in users):
        raise TypeError(f"user must be the user's address or a list of addresses, not {user!r:.80}")
    return users


def _patterns(what: str, pats: Any) -> tuple[str, ...]:
    """A policy's list of patterns (`what`) as it keeps them; `TypeError` naming `what` for what is no list
    of texts (`ConfigError` for one text, `_names`)."""
    _names(**{what: pats})
    if not isinstance(pats, Iterable):  # None where a list belongs: named, never "not iterable"
        raise TypeError(f"{what} must be a list of patterns (text), not {pats!r:.80}")
    pats = tuple(pats)  # read once: a generator is read as it is kept
    # a pattern that is no text fails inside `fnmatchcase` at the first result labelled, naming nothing
    bad = [p for p in pats if not isinstance(p, str)]
    if bad:
        raise TypeError(f"{what} must be a list of patterns (text), not one holding {bad[0]!r:.80}")
    return pats


def _named(value: str | Collection[str]) -> frozenset[str]:
    """The principals a policy's address (or list of them) names: each mailbox read as a header's, display
    names aside ("Carol Diaz <Carol@cpa.example>" is carol@cpa.example), lower-cased."""
    return frozenset(r for r in readers_in(value) if not any(c in r for c in _DISPLAY))


def _one_person(text: str, field: str) -> frozenset[str]:
    """The one person a grant's key or one of the user's addresses (`field`) names (`_named`), in each spelling
    of its mailbox (`_spellings`); `ConfigError` for a text naming several, everyone or no mailbox, and for
    a key naming no one (a blank user address is passed over)."""
    named = _named(text)
    people = {_spelling(r) or r for r in named}  # one mailbox in two spellings is one person
    why = _unnamed(named) or (f"names {len(people)} people" if len(people) > 1 else None) or (
        "names no one" if not named and (field == "grants" or text.strip()) else None)
    if why:
        what = ("grants must be keyed by one reader's address each" if field == "grants"
                else "user must be the user's own address (or a list of them, one address each)")
        raise ConfigError(f"{what}, not {text!r:.120} (which {why})")
    return _spellings(named)


def _unnamed(named: frozenset[str]) -> str | None:
    """Why principals read from a policy's address name no one it may mean: the public ("*", every published
    argument's recipient) or a text with an @ that no parser reads as one mailbox (kept whole, it is a
    principal no recipient ever is); None when they name people."""
    if PUBLIC_SINK in named:
        return "names everyone: '*' is the public"
    odd = next((r for r in named if "@" in r and not _one_mailbox(r)), None)
    return None if odd is None else f"reads as {odd!r:.80}, no one mailbox"


def _spellings(named: frozenset[str]) -> frozenset[str]:
    """Mailboxes with their plain spelling (`_with_spellings`) and a domain in IDNA's ASCII form also in its
    own script (`_in_its_script`): a recipient written either way is that reader."""
    named = _with_spellings(named)
    return named.union(s for s in map(_in_its_script, named) if s is not None)


def _folded(pattern: str) -> str:
    """A pattern with the mailbox it names after its kind and field lower-cased ("email:from:Larry@Rent.example"
    names what the guard reads as email:from:larry@rent.example); any other pattern as written."""
    kind, _, rest = pattern.partition(":")
    name, colon, who = rest.partition(":")
    # a path or a URL (file:C:/Users/Ann@Corp/*) keeps its case: a slash stands in no mailbox one would trust
    return f"{kind}:{name}:{_lower(who)}" if colon and "@" in who and not any(c in who for c in "/\\") else pattern


def _matches(source: str, pattern: str) -> bool:
    """Whether a source matches a grant's or trusted pattern, case kept and slash for slash on every host
    (`fnmatch` folds both on Windows: an audit there would read another policy), as written and with its
    dot segments resolved: a file tool opens `tax/../notes/diary.txt` as `notes/diary.txt`, which
    `file:tax/*` does not name though its `*` matches the climb."""
    if not fnmatchcase(source, pattern):
        return False
    resolved = _resolved(source)
    return resolved is None or fnmatchcase(resolved, pattern)


def _resolved(source: str) -> str | None:
    """`source` with the dot segments of what follows its kind resolved as a file system does (".", "..",
    either also as "%2e", between slashes or backslashes; an empty segment is no level, a ".." past the
    start kept, past a leading slash dropped); None when it has none."""
    kind, colon, rest = source.partition(":")
    if not colon or not _DOTS.search(rest):
        return None
    out: list[str] = []
    for i, seg in enumerate(re.split(r"[/\\]", rest)):
        dots = seg.lower().replace("%2e", ".")
        if dots == "..":
            if out and out[-1] not in ("", ".."):
                out.pop()
            elif out != [""]:
                out.append("..")
        elif dots != "." and (seg or not i):  # "tax//.." is "tax/..": a doubled slash climbs no level
            out.append(seg)
    return f"{kind}:{'/'.join(out)}" if out != [""] else f"{kind}:/"


_DOTS = re.compile(r"(?:^|[/\\])(?:\.|%2e){1,2}(?:$|[/\\])", re.IGNORECASE)
"""A dot segment: "." or ".." (also percent-encoded) standing alone between separators."""


def sink_of(meta: Mapping[str, Any]) -> Sink | None:
    """The tool's sink declaration, if any."""
    decl = meta.get(SINK_KEY)
    return decl if isinstance(decl, Sink) else None


def source_of(meta: Mapping[str, Any]) -> Source | None:
    """The tool's source declaration, if any; `shaped` when its result may be text shaped like records
    by whoever wrote it (`vfa._tools.RESULT_SHAPE` "unknown"), `records` when it is records as text
    ("records")."""
    decl = meta.get(SOURCE_KEY)
    if not isinstance(decl, Source):
        return None
    shape = meta.get(RESULT_SHAPE)
    if (shape == "unknown" and not decl.shaped) or (shape == "records" and not decl.records):
        hit = _SHAPED.get((id(decl), shape))
        if hit is None or hit[0] is not decl:
            if len(_SHAPED) > 1024:
                _SHAPED.clear()
            hit = _SHAPED[(id(decl), shape)] = (decl, dataclasses.replace(
                decl, **({"shaped": True} if shape == "unknown" else {"records": True})))
        return hit[1]
    return decl


_SHAPED: dict[tuple[int, str], tuple[Source, Source]] = {}
"""(Declaration, shape) -> its `shaped` or `records` form (made once: a walk's plans are kept per declaration)."""


def forget_recipients() -> None:
    """Empty the caches of recipients read from text (a thread erased, `PrivacyFlow.forget`: they are keyed by
    the addresses and headers its arguments and results held)."""
    for memo in (_read_header, _recipients_of_str, _recipients_of_strs, _addresses_in, _spelling, _in_its_script):
        memo.cache_clear()
