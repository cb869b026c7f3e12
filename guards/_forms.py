"""How the privacy flow reads a text: folded to ASCII look-alikes, normalised, cut into words, tokens and
digits, and the texts of a value (numbers as written, the leaves of lists and dicts)."""

from __future__ import annotations

import codecs
import html
import itertools
import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from vfa._tools import json_value

MIN_TRACKED = 4
"""Private values shorter than this (letters and digits) are not tracked: they would match everywhere."""
SHINGLE = 6
"""Copying this many consecutive words of a private text carries its label."""

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_NOT_ALNUM = re.compile(r"[\W_]")
"""Anything but a letter or digit, of any script (after folding, Latin look-alikes are ASCII)."""
_WORD = re.compile(r"[^\W_]+")


_CONFUSABLES = str.maketrans({
    # Cyrillic letters that look like Latin ones
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b",
    "һ": "h", "ү": "y", "г": "r", "п": "n", "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o",
    "Р": "p", "С": "c", "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ј": "j", "Ү": "y", "Һ": "h",
    # Greek letters that look like Latin ones
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ω": "w", "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # dotless i, long s, script letters NFKC keeps apart
    "ı": "i", "ſ": "s", "ℓ": "l",
    # Latin letters of other alphabets (IPA, small capitals) that look like plain ones
    "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ɴ": "n", "ʀ": "r", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d",
    "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p", "ꜱ": "s", "ᴛ": "t",
    "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
    # Armenian letters that look like Latin ones
    "օ": "o", "Օ": "o", "ս": "u", "Ս": "u", "ո": "n", "հ": "h", "ց": "g", "զ": "q",
    # Lisu (Fraser) letters, which are Latin capitals in shape
    "ꓐ": "b", "ꓑ": "p", "ꓓ": "d", "ꓔ": "t", "ꓖ": "g", "ꓗ": "k", "ꓙ": "j", "ꓚ": "c", "ꓜ": "z", "ꓝ": "f", "ꓟ": "m",
    "ꓠ": "n", "ꓡ": "l", "ꓢ": "s", "ꓣ": "r", "ꓦ": "v", "ꓧ": "h", "ꓪ": "w", "ꓫ": "x", "ꓬ": "y", "ꓮ": "a", "ꓰ": "e",
    "ꓲ": "i", "ꓳ": "o", "ꓴ": "u",
    # Cherokee letters that look like Latin ones
    "Ꭰ": "d", "Ꭱ": "r", "Ꭲ": "t", "Ꭵ": "i", "Ꭹ": "y", "Ꭺ": "a", "Ꭻ": "j", "Ꭼ": "e", "Ꮃ": "w", "Ꮇ": "m", "Ꮋ": "h",
    "Ꮐ": "g", "Ꮒ": "h", "Ꮓ": "z", "Ꮟ": "b", "Ꮢ": "r", "Ꮤ": "w", "Ꮩ": "v", "Ꮪ": "s", "Ꮮ": "l", "Ꮯ": "c", "Ꮲ": "p",
    "Ꮶ": "k", "Ᏼ": "b",
    # blank letters (not format characters, so not dropped below): fillers that show as nothing
    "\u115f": None, "\u1160": None, "\u3164": None, "\uffa0": None, "\u2800": None,
    # invisible marks that combine with nothing (class 0, so not dropped below): variation selectors, the
    # grapheme joiner, Mongolian free variation selectors, Khmer inherent vowels
    **dict.fromkeys(map(ord, "\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f"), None),
    **dict.fromkeys(range(0xFE00, 0xFE10), None), **dict.fromkeys(range(0xE0100, 0xE01F0), None),
})


@lru_cache(maxsize=8192)
def _fold_slow(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
    t = unicodedata.normalize("NFKD", t)
    # digits of any script or style as ASCII (NFKC keeps Arabic-Indic and Devanagari digits, and dingbat
    # circled digits such as ❶, as they are)
    return "".join(_DIGIT_OF[c] if c.isdigit() and not c.isascii() else c
                   for c in t if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")


class _Digits(dict):  # type: ignore[type-arg]
    """A character -> its digit as ASCII (`unicodedata.digit`), worked out once per character."""

    def __missing__(self, c: str) -> str:
        d = unicodedata.digit(c, None)
        out = self[c] = c if d is None else str(d)
        return out


_DIGIT_OF = _Digits()


def _low(text: str) -> str:
    """`_fold(text)` lower-cased as value tracking compares texts, case folded first: the look-alike table
    maps lower-case letters (Г is г before it is r), and upper case writes ß and ς as SS and Σ. The escapes
    of the ordinary serialisations are read as the letters they stand for (`_decoded`): every reader of
    the format reads them back. Only so: a text is also read as written (`_as_written`)."""
    if _may_escape(text):
        text = _decoded(text)
    return text.lower() if text.isascii() else _low_slow(text)


def _may_escape(text: str) -> bool:
    return "\\" in text or "%" in text or "&" in text or "=?" in text


def _decoded(text: str) -> str:
    """`_decode(text)`, kept for the last texts read (one check reads each argument so a few dozen times)."""
    out = _DECODED.get(text)
    if out is None:
        out = _decode(text)
        if len(text) <= _DECODED_TEXT:
            if len(_DECODED) >= 32:
                _DECODED.clear()
            _DECODED[text] = out
    return out


_DECODED: dict[str, str] = {}
_DECODED_TEXT = 1 << 17
"""The longest text `_decoded` keeps (twice the arguments' 64 KiB): a result of megabytes is read once."""


def _decode(text: str) -> str:
    """The text with the escapes of the formats a value is ordinarily written in read as what they stand
    for: JSON's `\\uXXXX` (which `json.dumps` writes for every letter outside ASCII, in any text: a letter
    outside ASCII beside an escaped one reads no differently) and Python's `\\xXX` and `\\UXXXXXXXX`
    (`ascii`, a bytes repr); a URL's percent-encoding (`quote`, `urlencode`: UTF-8 bytes, one that is none
    a replacement character, as `unquote` reads it); HTML's character references (`html.escape`, &#233;,
    &#x00e9;, &eacute;, and as a browser reads them without their semicolon); a mail header's Q encoded-words (=?utf-8?q?...?=). Base64 (a
    header's B words too) is not read (see "Missed"). Escapes written inside escapes are read too, up to
    `_DEPTH` deep: a JSON payload in a URL ("%5Cu00eb"), a URL quoted again ("%252F")."""
    for _ in range(_DEPTH):
        was = text
        if "\\" in text:
            text = _PY_ESCAPE.sub(_unescape_py, _JSON_ESCAPE.sub(_unescape, text))
        if "%" in text:
            text = _PERCENT.sub(_unpercent, text)
        if "&" in text:
            text = _REFERENCE.sub(_unreference, text)
        if "=?" in text:
            text = _ENCODED_WORD.sub(_unword, text)
        if text == was or not _may_escape(text):
            break
    return text


_DEPTH = 4
"""How deep escapes written inside escapes are read (each level linear in the text: "&#38;#38;..." is
read a level at a time)."""


def _escaped(text: str) -> bool:
    """Whether a text holds an escape `_low` reads as a letter (and is so read as written too)."""
    return _may_escape(text) and _decoded(text) != text


_WRITTEN = str.maketrans({"\\": "\uff3c", "%": "\uff05", "&": "\uff06", "=": "\uff1d"})
"""The characters that open an escape, as their fullwidth forms: no escape, and each read as itself
(NFKC, in `_fold`)."""


_OPENERS = {"\\": "\\", "%": "%", "&": "&", "=?": "="}
"""What opens each format's escapes (JSON's and Python's, a URL's, HTML's, a Q encoded-word's), and the
character of it `_WRITTEN` writes fullwidth."""


def _as_written(text: str, only: str | None = None) -> str:
    """The text with its escapes read as written, not as letters: "\\uCafe2024" holds Cafe2024 to one who
    reads it as text (`_low` would make its first four letters one), "%2024-7741" the digits 20247741.
    With `only` (an opener's character), that format's escapes alone, the others read as letters."""
    return text.translate(_WRITTEN if only is None else {ord(only): _WRITTEN[ord(only)]})


def _written_readings(texts: list[str]) -> list[list[str]]:
    """The texts as written (`_as_written`) and, where they hold the openers of more than one format, with
    each format's as written and the others' escapes read: a URL's reader reads "\\uCafe2024Secur%65!"
    as "\\uCafe2024Secure!", which neither reading of it alone holds."""
    out = [[_as_written(t) for t in texts]]
    kinds = [c for o, c in _OPENERS.items() if any(o in t for t in texts)]
    if len(kinds) > 1:
        out += [[_as_written(t, c) for t in texts] for c in kinds]
    return out


_JSON_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")
"""A JSON escape: a surrogate pair, or one code unit (a lone surrogate is left as written)."""


def _unescape(m: re.Match[str]) -> str:
    if m.group(3) is None:
        return chr(0x10000 + ((int(m.group(1), 16) - 0xD800) << 10) + int(m.group(2), 16) - 0xDC00)
    c = int(m.group(3), 16)
    return m.group(0) if 0xD800 <= c <= 0xDFFF else chr(c)


_PY_ESCAPE = re.compile(r"(?:\\x[0-9a-fA-F]{2})+|\\U(000[0-9a-fA-F]{5}|0010[0-9a-fA-F]{4})")
"""Python's escapes: a run of `\\xXX` (a str's Latin-1 letters, or a bytes repr's UTF-8), or `\\U` and
eight hex digits naming a character."""


def _unescape_py(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        c = int(m.group(1), 16)
        return m.group(0) if 0xD800 <= c <= 0xDFFF else chr(c)
    raw = bytes.fromhex(m.group(0).replace("\\x", ""))
    try:
        return raw.decode("utf-8")  # a bytes repr: b'Zo\\xc3\\xab'
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # a str's: 'Zo\\xeb'


_PERCENT = re.compile(r"(?:%[0-9a-fA-F]{2})+")
"""A run of percent-encoded bytes."""


def _unpercent(m: re.Match[str]) -> str:
    # a byte that is no UTF-8 read as a replacement character, as `unquote` reads it (a stray "%FF" hides
    # none of the run); "100%ab" in prose is read as written too (`_as_written`)
    return bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8", "replace")


_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
"""An HTML character reference, ended by its semicolon or not: a browser reads "&#48" and "&eacute" too
(`html.unescape` knows which names it reads without one)."""


def _unreference(m: re.Match[str]) -> str:
    return html.unescape(m.group(0))  # an unknown name stays as written


_ENCODED_WORD = re.compile(r"=\?([A-Za-z0-9_\-]{1,40})(?:\*[A-Za-z\-]{1,20})?\?[qQ]\?([^?\s]*)\?=")
"""A MIME encoded-word in the Q encoding (RFC 2047): charset, then the text, "_" for a space and =XX for a byte."""
_Q_BYTE = re.compile(r"=([0-9a-fA-F]{2})")


_NO_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape"})
"""Codecs no mail is written in, which Python decodes in time worse than linear (punycode) or reads as escapes."""


def _unword(m: re.Match[str]) -> str:
    raw = _Q_BYTE.sub(lambda b: chr(int(b.group(1), 16)), m.group(2).replace("_", " ")).encode("latin-1", "replace")
    try:
        if codecs.lookup(m.group(1)).name in _NO_CHARSETS:
            return m.group(0)
        return raw.decode(m.group(1), "replace")  # a stray byte hides none of the word, as mail clients read it
    except (LookupError, ValueError):  # a charset Python does not know, or no text in it: as written
        return m.group(0)


@lru_cache(maxsize=8192)
def _low_slow(text: str) -> str:
    return _fold_slow(unicodedata.normalize("NFKC", text).casefold()).lower()


def _fold(text: str) -> str:
    """Text with look-alikes folded to ASCII before value tracking: NFKC (fullwidth digits and letters,
    ligatures), common Cyrillic, Greek, Armenian, Lisu, Cherokee, IPA and small-capital look-alikes of
    Latin letters (`_CONFUSABLES`: a table, not Unicode's whole list), digits of every script and
    style (circled ones too), accents dropped, and invisible format characters (zero-width spaces and
    joiners) and blank fillers removed. ASCII text is returned as it is: letters written for digits
    (O for 0, l for 1) are an encoding, which value tracking does not see through."""
    return text if text.isascii() else _fold_slow(text)


def _norm(text: str) -> str:
    return _NOT_ALNUM.sub("", _low(text))

_NORMS: dict[str, str] = {}
"""Normal forms of texts that recur (trusted parts, argument leaves), bounded."""


_EDGES = "\"'()[]{}:;,"


def _word_norms(text: str) -> str:
    """Each word of a text normalised (`_norm`), joined by NUL, so that a normal form found in it lies
    in one word; a run of short digit groups (a formatted number: 4111 1111 1111 1111, 078 05 1120)
    counts as one word, ended by a comma or anything that is not such a group (11.99, 0.04, 12.50
    stay apart)."""
    out: list[str] = []
    run: list[str] = []
    for w in _low(text).split():
        group = w.strip(_EDGES)
        if group.isdigit() and len(group) <= 4:
            run.append(group)
            if "," in w[len(w.rstrip(_EDGES)):]:  # a comma after it ends the number
                out.append("".join(run))
                run = []
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(_NOT_ALNUM.sub("", w))
    if run:
        out.append("".join(run))
    return "\0".join(out)


def _norm_of(text: str) -> str:
    """`_norm(text)`, cached: the same contact names, subjects and bodies are normalised again and again."""
    n = _NORMS.get(text)
    if n is None:
        n = _NOT_ALNUM.sub("", _low(text))
        if len(text) <= 4096:
            if len(_NORMS) >= 8192:
                _NORMS.clear()
            _NORMS[text] = n
    return n


def _words(text: str) -> list[str]:
    return _WORD.findall(_low(text))


def _join_words(text: str) -> list[str]:
    """A text's words as a join of texts reads them: with invisible marks taken for spaces (words a
    reader sees apart), as a text alone is read besides (`_marks_spaced`)."""
    return _words(_marks_spaced(text) or text)


_BLANKS = frozenset(chr(c) for c, to in _CONFUSABLES.items() if to is None)
"""The blank fillers and invisible class-0 marks folding removes (`_CONFUSABLES`): letters that show as
empty space, selectors and joiners that show as nothing."""


def _is_mark(c: str) -> bool:
    return c in _BLANKS or unicodedata.category(c) == "Cf"


def _join_readings(parts: list[str]) -> list[list[list[str]]]:
    """The words of each text as joins read them (`_join_words`) and, when one holds an invisible mark,
    with the marks removed besides (a mark inside a word at a join: "va\u200bult" is read "vault")."""
    spaced = [_join_words(p) for p in parts]
    if not any(_marks_spaced(p) is not None for p in parts):  # (an ASCII text is read at no cost)
        return [spaced]
    return [spaced, [_words(p) for p in parts]]


def _marks_spaced(text: str) -> str | None:
    """The text with each character folding removes that a reader cannot see (an invisible format
    character: a zero-width space or joiner, a soft hyphen; a blank filler) taken for a space, or None
    when it has none: words a reader sees apart, joined by such marks, which folding removes (`_fold`),
    are read apart here too."""
    if _may_escape(text):  # a mark json.dumps wrote as an escape is one too ("the\\u200bspare")
        text = _decoded(text)
    if text.isascii() or not any(map(_is_mark, text)):
        return None
    return "".join(" " if _is_mark(c) else c for c in text)


_EDGE = "\"'`()[]{}<>.,;:!?"
"""Punctuation that ends a sentence or wraps a value, stripped from the ends of a whitespace token."""

def _said(text: str) -> str:
    """A user's text as whole tokens, for grounding: split at white space, each token stripped of the
    punctuation around it (not inside it: a sentence's full stop is no part of a password), space-joined,
    case kept. Never folded: grounding is exact, a look-alike (Cyrillic a, an accent, a zero-width
    space) is another value."""
    return " ".join(filter(None, (t.strip(_EDGE) for t in text.split())))


def _value_form(text: str) -> str:
    """A whole value as grounding compares it: without white space (an IBAN matches written in groups or
    run together), punctuation and case kept (BLUE-HARBOR-77!! is not Blue-Harbor-77, nor an
    address's local part in other case; lower-casing is no exact comparison either: it makes the Kelvin
    sign a "k"). Never folded."""
    return "".join(text.split())


@lru_cache(maxsize=4096)
def _user_forms(text: str) -> tuple[str, frozenset[str]]:
    """A user message as whole tokens, padded: as `_said` reads it and as written (white space aside),
    on two lines (no phrase holds a line break, so none matches across them); and, marked "#", the
    numbers that are whole tokens of it or grouped by no-break spaces (messages recur on every call)."""
    grouped = " ".join("".join(m.group(0).split()) for m in _IBAN_ANY_CASE.finditer(text))
    return (f" {_said(text)} \n {' '.join(text.split())} \n {grouped} ",
            frozenset("#" + n for n in (*_token_numbers(text), *_no_break_grouped(text))))


_NO_BREAK_GROUPED = re.compile(r"(?<![\w.,'’])\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?:[.,]\d+)?(?![\w'’]|[.,]\d)")
"""A number grouped in thousands by a no-break or thin space (1\u202f200,50: French, Swedish, Polish, ...),
which splits no number: one reading only (an ordinary space may stand between two numbers)."""


def _no_break_grouped(text: str) -> list[str]:
    """The numbers a user's text writes grouped by no-break spaces (`_NO_BREAK_GROUPED`), in `_num` form."""
    return [_num(_NOT_DIGIT_MARK.sub("", m.group(0)).replace(",", ".")) for m in _NO_BREAK_GROUPED.finditer(text)]


_NOT_DIGIT_MARK = re.compile(r"[^\d.,]")


def _grouped_in(said: str, users: str) -> bool:
    """Whether `said`, an account number written in groups ("DE02 1203 0000 ..."), is one the user typed,
    white space aside (`_user_forms` holds the user's own, run together): as a bank reads it."""
    return _IBAN_ANY_CASE.fullmatch(said) is not None and f" {''.join(said.split())} " in users


MIN_DIGITS = 6
"""Runs of digits in a private text at least this long are tracked as tokens of their own."""

_NUMBER_RUN = re.compile(r"\d(?:[ \t\-./()+,'’_\u00a0\u202f]{1,3}\d|\d)*")
"""A digit run as a number may be written, thousands commas too (78,051,120): what a lost leading zero is
put back on."""
_DIGIT_RUN = re.compile(r"\d(?:[ \t\-./()+]{1,3}\d|\d)*")
"""Digits joined by separators (spaces, dashes, dots, slashes, brackets, plus): "+1 (555) 123-4567"."""
_TOKEN_RUN = re.compile(r"\d(?:[\W_]{1,3}\d|\d)*")
"""Digits joined by any separators but letters (dashes of every kind, underscores, commas, line breaks): how a
private text may write an identifier ("078–05–1120", "1,284,300"); a copy is found by its digits alone
(`_digits_of`), whatever it is written with."""
_SPACE = re.compile(r"\s")
_NOT_DIGIT = re.compile(r"\D")
_ADDRESS = r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+"
_EMAIL = re.compile(r"(?<![a-z0-9._%+\-])" + _ADDRESS)
"""An e-mail address starting where a run of its characters starts: tried from inside a run, the local
part would run to the run's end and back at every place (quadratic in a long word)."""
_EMAIL_AT = re.compile(_ADDRESS)
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
_IBAN = re.compile(r"\b[a-z]{2}\d{2}(?:[a-z0-9]{4}|[ \-](?=[a-z]{0,3}\d)[a-z0-9]{4}){2,7}"
                   r"(?:[a-z0-9]{1,3}|[ \-](?=[a-z]{0,2}\d)[a-z0-9]{1,3})?\b")
"""IBAN-like: country, check digits, then groups of four; a group after a space or dash must hold a
digit, so the words after an IBAN ("... 0130 00 then pay") are not taken for part of it."""
_IBAN_ANY_CASE = re.compile(_IBAN.pattern, re.IGNORECASE)
"""`_IBAN` in a text as written (a user's message: its account numbers are read case kept)."""
_ALNUM_TOKEN = re.compile(r"[a-z0-9]+(?:[\-_/.][a-z0-9]+)*")


def _is_mixed(t: str) -> bool:
    """A letters-and-digits token that looks like an identifier (an account id, a password): eight or
    more characters with at least two letters and two digits."""
    digits = sum(c.isdigit() for c in t)
    return len(t) >= 8 and digits >= 2 and len(t) - digits >= 2


def _addresses(low: str) -> Iterator[re.Match[str]]:
    """The e-mail addresses in a lower-cased text, as a left-to-right scan finds them, in linear time: a
    match starts where a run of address characters starts (`_EMAIL`), or right where the last one ended
    (an address written on after another's domain: "a@b.example+c@d.example")."""
    pos = 0
    while True:
        m = _EMAIL_AT.match(low, pos) if 0 < pos < len(low) and low[pos - 1] in _LOCAL else None
        if m is None:
            m = _EMAIL.search(low, pos)
            if m is None:
                return
        yield m
        pos = m.end()


def _tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Identifier-like tokens of a private text: (normalised letter-digit tokens, digit tokens, and
    (token, its owner's principals) for each e-mail address and IBAN among them and for the digit
    token of each).

    Digit tokens: every maximal run of digits joined by separators, its separators dropped, if it has
    at least `MIN_DIGITS` digits; also each whitespace-free piece of it (two numbers a space apart are
    one run, but a copy of one of them must still be found). Letter tokens: e-mail addresses, IBAN-like
    tokens and mixed letter-digit tokens (`_is_mixed`), normalised as `_norm` does.
    """
    low = _low(text)
    alnum: set[str] = set()
    owners: dict[str, tuple[str, ...]] = {}
    mails: list[tuple[int, int, tuple[str, ...]]] = []
    for m in _addresses(low):  # an address is its owner's principal
        owners[_NOT_ALNUM.sub("", m.group(0))] = who = (m.group(0),)
        mails.append((m.start(), m.end(), who))
    accounts: list[tuple[int, int, tuple[str, ...]]] = []
    for m in _IBAN.finditer(low):  # an account number is its holder's, as written or run together
        t = _NOT_ALNUM.sub("", m.group(0))
        owners[t] = who = tuple(dict.fromkeys((m.group(0), t)))
        accounts.append((m.start(), m.end(), who))
    alnum.update(owners)
    # each kind's spans come left to right and never overlap: the one holding a token is found by
    # bisection (a text of many addresses or accounts costs no scan of them all per token)
    mail_at, account_at = [a for a, _b, _w in mails], [a for a, _b, _w in accounts]

    def owner_of(m: re.Match[str]) -> tuple[str, ...] | None:
        for at, spans in ((mail_at, mails), (account_at, accounts)):  # an address's before an account's
            k = bisect_right(at, m.start()) - 1
            if k >= 0 and m.end() <= spans[k][1]:
                return spans[k][2]
        return None

    digits: set[str] = set()
    for m in _TOKEN_RUN.finditer(low):
        run = m.group(0)
        d = _NOT_DIGIT.sub("", run)
        if len(d) >= MIN_DIGITS:
            digits.add(d)
            # digits inside an address or IBAN are its owner's too (tracked as a digit token as well)
            who = owner_of(m)
            if who is not None:
                owners[d] = who
            if len(d) > MIN_DIGITS and _SPACE.search(run):
                for piece in run.split():
                    p = _NOT_DIGIT.sub("", piece)
                    if len(p) >= MIN_DIGITS:
                        digits.add(p)
                        if who is not None:
                            owners[p] = who
    for m in _ALNUM_TOKEN.finditer(low):
        t = _NOT_ALNUM.sub("", m.group(0))
        if _is_mixed(t):
            alnum.add(t)
            who = owner_of(m)
            if who is not None and t not in owners:
                owners[t] = who
    return tuple(sorted(alnum)), tuple(sorted(digits)), tuple(sorted(owners.items()))


@lru_cache(maxsize=4096)
def _track_forms(text: str) -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...],
                                     tuple[tuple[str, tuple[str, ...]], ...]]:
    """A private text's normalised form if long enough to track, its words padded if long enough to
    shingle, its identifier-like tokens (`_tokens`, the normalised form itself left out) and the
    owners of the addresses and account numbers among them (a thread reads the same record again
    and again)."""
    n = _norm(text)
    words = _words(text)
    alnum, digits, owners = _tokens(text) if len(n) >= MIN_DIGITS else ((), (), ())
    return ((n if len(n) >= MIN_TRACKED else None), (f" {' '.join(words)} " if len(words) >= SHINGLE else None),
            tuple(t for t in alnum if t != n), digits, owners)


_DIGITS_RE = re.compile(r"\d+")
_DIGITS: dict[str, str] = {}
"""Digits of texts that recur (an argument is read by `label` and again by the guard's joined check), bounded."""


_EXPONENT = re.compile(r"(?<!\d)(\d+)(?:\.(\d*))?\s*(?:[eE]|(?:[xX×*·⋅]|\\times|\\cdot)\s*10\s*(?:\^|\*\*)(?:\s*[({])?)"
                       r"\s*\+?(\d{1,3})[)}]?(?!\d)")
"""A number written with a positive exponent: 89370400440532013e3, 8.9370400440532013e19, 7.805112 E7,
7.805112×10^7, 7.805112*10**7, 7.805112 x 10^(7), 7.805112\\times10^{7} (and 10⁷: `_SUPERSCRIPT`). The
white space before a bracket is the bracket's: two `\\s*` side by side would share a long run every way."""
_SUPERSCRIPT = re.compile(r"(?<=10)\s?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
"""An exponent written in superscript digits after a 10, which folding would make ordinary digits."""
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MAX_EXPONENT = 64


def _expanded(m: re.Match[str]) -> str:
    """The digits of a number in exponent form as written out in full (its trailing zeros moved back
    out of the exponent), or as written when the exponent is larger than `_MAX_EXPONENT`."""
    whole, fraction, exponent = m.group(1), m.group(2) or "", int(m.group(3))
    if exponent > _MAX_EXPONENT:
        return m.group(0)
    return whole + fraction + "0" * max(0, exponent - len(fraction))


def _written_out(text: str) -> str | None:
    """The text (as written, before folding) with its numbers in exponent form written out in full,
    folded; None if it holds none (the exponent's digits would otherwise hide the digits of a value:
    0780511 E 20)."""
    if "e" in text or "E" in text or "10" in text:
        raised = text if text.isascii() else _SUPERSCRIPT.sub(lambda m: "^" + m.group(1).translate(_SUPERSCRIPTS), text)
        folded = _fold(raised)
        out = _EXPONENT.sub(_expanded, folded)
        if out != folded or raised != text:
            return out
    return None


def _digits_of(text: str) -> str:
    """The digits of a text in order, everything else dropped: what a digit token is looked up in. A
    text with a number in exponent form has its digits as written, then (after a "|", which no digit
    token holds) with the number's digits written out; and the digits of each run (`_NUMBER_RUN`) of five
    digits or more with one and with two leading zeros put back (a value written as a number loses
    them: 078-05-1120 as 78-05-1120, 0048213977 as 48213977), each alone: a run's digits beside
    another's ("Paid $278 on 05/11/20") are not one number. A run may hold several numbers ("room 4,
    78-05-1120" is one run, as 78,051,120 is): the zeros go back before each of its groups too."""
    d = _DIGITS.get(text)
    if d is None:
        folded = _fold(text)
        d = _NOT_DIGIT.sub("", folded)
        out = _written_out(text)
        if out is not None:
            d = f"{d}|{_NOT_DIGIT.sub('', out)}"
        if _may_escape(text) and (escaped := _decoded(text)) != text:
            d = f"{d}|{_NOT_DIGIT.sub('', _fold(escaped))}"  # its escapes read as the digits they stand for too
        runs = [n for t in (folded, out) if t for m in _NUMBER_RUN.finditer(t) for n in _numbers_in(m.group(0))]
        padded = [f"{z}{n}" for n in runs if len(n) >= MIN_DIGITS - 1 and n[0] != "0" for z in ("0", "00")]
        if padded:
            d = "|".join((d, *padded))
        if len(text) <= 4096:
            if len(_DIGITS) >= 8192:
                _DIGITS.clear()
            _DIGITS[text] = d
    return d


_PADDED_DIGITS = 64
"""The most digits of a run's later group a lost zero is put back on (a token is looked for from its start)."""


def _numbers_in(run: str) -> list[str]:
    """The digits of a number run (`_NUMBER_RUN`) whole, then from each later group on (at most
    `_PADDED_DIGITS` of them): where a number whose leading zeros were lost may start in it."""
    groups = _DIGITS_RE.findall(run)
    digits = "".join(groups)
    out, at = [digits], 0
    for g in groups[:-1]:
        at += len(g)
        out.append(digits[at:at + _PADDED_DIGITS])
    return out


_UNITS: dict[str, tuple[tuple[str, int, int], ...]] = {}
"""Digit units of texts that recur, bounded."""


def _digit_units(text: str) -> tuple[tuple[str, int, int], ...]:
    """Where a text's digits may hold the pieces of a value cut within it, as (digits, group, place):
    its digit runs (`_DIGIT_RUN`, separators dropped), the pieces of a run between its spaces and
    those between any of its separators ("1120 then 078-05", "078-05 (page 2) 1120", "1120-07805"),
    in order; the pieces of one run at one split share a group, numbered by place (so a value cut
    only where it is written whole, at a dash, is told apart)."""
    units = _UNITS.get(text)
    if units is None:
        folded = _fold(text)
        out: list[tuple[str, int, int]] = []
        written = _written_out(text)
        # its escapes read as the digits they stand for too ("%31%31%32%30" beside "078-05")
        escaped = _fold(_decoded(text)) if _may_escape(text) else folded
        group = 0
        for m in itertools.chain(_DIGIT_RUN.finditer(folded), _DIGIT_RUN.finditer(written or ""),
                                 _DIGIT_RUN.finditer(escaped if escaped != folded else "")):
            run = m.group(0)
            whole = _NOT_DIGIT.sub("", run)
            out.append((whole, group, 0))
            group += 1
            if whole != run:  # separators in it: its pieces between spaces, and between any separators
                spaced = [p for p in (_NOT_DIGIT.sub("", piece) for piece in run.split()) if p]
                apart = _DIGITS_RE.findall(run)
                for pieces in ((spaced if len(spaced) > 1 else ()), (apart if len(apart) > len(spaced) else ())):
                    if pieces:
                        out.extend((p, group, i) for i, p in enumerate(pieces))
                        group += 1
        units = tuple(out)
        if len(text) <= 4096:
            if len(_UNITS) >= 8192:
                _UNITS.clear()
            _UNITS[text] = units
    return units


@lru_cache(maxsize=256)
def _users_forms(texts: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """The user messages as padded whole tokens joined by a newline (which no phrase holds, so none
    matches across two messages), and all their words and numbers."""
    forms = [_user_forms(t) for t in texts]
    return "\n".join(f[0] for f in forms), frozenset().union(*(f[1] for f in forms))


def _with_users(forms: tuple[str, frozenset[str]], texts: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """User forms (`_users_forms`) with more of the user's words: `texts` as messages of their own."""
    if not texts:
        return forms
    more = _users_forms(texts)
    return f"{forms[0]}\n{more[0]}", forms[1] | more[1]


def _typed_by_person(edit: Any, written: Any) -> tuple[str, ...]:
    """What a person typed into an edit of a call: the runs of tokens of the edit's leaves that the model's
    call (`written`: as written, and as the question showed it, `as_asked`) holds nowhere. A value the
    model wrote stays the model's, wherever the person moved it, and inside a text the person changed
    around it."""
    model = {_text(x) for x in _leaves(written) if x is not None}
    words = {w for t in model for w in _said(t).split(" ")}  # the model's tokens, wherever they stand
    out: list[str] = []
    for t in (_text(x) for x in _leaves(edit) if x is not None):
        if not t or t in model:
            continue
        # a leaf the person changed is theirs only in the tokens they added: each run of those, apart
        # (a fixed word beside the model's address vouches for the word, never the address)
        run: list[str] = []
        for w in (*_said(t).split(" "), ""):
            if w and w not in words:
                run.append(w)
            elif run:
                out.append(" ".join(run))
                run = []
    return tuple(out)


def _token_numbers(text: str) -> set[str]:
    """The numbers a text holds as whole tokens ("1,200.00", "$950", "12,50"), in `_num` form; never a
    piece of a token (the 2026 of a date 2026-06-01)."""
    out = set()
    for tok in text.split():
        t = tok.strip(_EDGE + "$€£¥%")
        if _GROUPED.fullmatch(t):  # 1.200,50 or 1'200.50: the marks of another locale, read as unambiguous
            t = t.replace(".", "").replace(",", ".") if "," in t or t.count(".") > 1 else t.translate(_APOSTROPHES)
        elif "," in t:  # a thousands separator (1,200.50), else a decimal comma (12,50 is 12.5, never 1250)
            t = t.replace(",", "") if _THOUSANDS.fullmatch(t) else t.replace(",", ".", 1)
        if _NUMBER.fullmatch(t):
            out.add(_num(t))
    return out


_SPACED = re.compile(r"(?<![\w.,'’])(\d{1,3}(?:[\s.'’_\u066c]\d{3})+)(?:[.,\u066b](\d+))?(?![\w'’]|[.,\u066b]\d)")
"""A number grouped in thousands by a space of any width, a dot, an underscore or the Arabic thousands
mark (84 300, 84\u202f300, 84.300, 84_300, 84٬300), with any decimals after it; a text splits it at the
space, and reads one dot as decimals."""


def _grouped_numbers(text: str) -> set[str]:
    """The numbers a text writes grouped in thousands as some locales group them (`_SPACED`), in `_num`
    form: each whole, and with its decimals (84 300,75 is 84300.75); read besides `_token_numbers`, never
    instead (84.300 is 84.3 there)."""
    out = set()
    for m in _SPACED.finditer(text):
        whole = _NOT_DIGIT.sub("", m.group(1))
        out.add(_num(whole))
        if m.group(2):
            out.add(_num(f"{whole}.{m.group(2)}"))
    return out


def _amount_forms(text: str) -> set[str]:
    """The numbers a one-token text writes as an amount ("1,200.00", "$950", "-12.5"), in `_num` form:
    formatting dropped, never a digit or sign of the whole part. "00123456" and "+15551234567" are
    identifiers as written, and give none (their numbers would name other identifiers)."""
    out = set()
    for n in _token_numbers(text):
        written = text.strip(_EDGE + "$€£¥%").replace(",", "")
        if written.split(".")[0] == n.split(".")[0]:
            out.add(n)
    return out


_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:['’]\d{3})+(?:\.\d+)?")
"""Groups of thousands marked as another locale marks them, where no other reading exists: dots before a
decimal comma (1.200,50), two dots or more (1.200.000), apostrophes (1'200.50, Swiss)."""
_APOSTROPHES = str.maketrans("", "", "'’")
_THOUSANDS = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})(?:\.\d+)?")
"""Groups of thousands (1,200,000) or Indian groups (12,00,000), with decimals or not."""


def _num(text: str) -> str:
    """A number's one form, exact: a whole number as its digits ("1e3", "1000.00" and "1000" alike),
    else its shortest decimal; never through a float, which would make two account numbers past 2**53
    that round alike one number. Text that is no finite number is returned as it is."""
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        return text
    if not d.is_finite():
        return text
    if d.is_zero():
        return "0"
    if abs(d.adjusted()) > _MAX_DIGITS:  # not spelled out (a guard of its cost): digits, zeros struck, and exponent
        sign, digits, exp = d.as_tuple()
        coefficient = "".join(map(str, digits)).rstrip("0")
        exp += len(digits) - len(coefficient)
        return f"{'-' if sign and coefficient else ''}{coefficient or '0'}e{exp if coefficient else 0}"
    text = format(d, "f")  # every digit, never rounded to a context's precision
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


NUMBER_MARK = "# "
"""Marks a trusted text's number form among trusted value forms: `_value_form` removes all white
space, so no text's form can begin with it ("#123456" is a text, "# 123456" the number)."""
SPELLED_MARK = "= "
"""Marks a value as written, single-spaced, among value forms (no form holds a space either): under the
strict context a trusted value is exempt only spaced as it was given ("Larry Lane", not "LarryLane")."""

_MAX_DIGITS = 400
"""Numbers with more digits than this keep their exponent form in `_num`."""


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():  # 1200.0 reads as 1200 (NaN and infinities are no integers)
        return _num(repr(value))  # its shortest form: 1e23 is 1 and 23 zeros, as a person writes it
    return json.dumps(value, default=repr) if isinstance(value, (dict, list, tuple)) else str(value)


_TEXT_BLOCKS = frozenset({"text", "input_text"})
"""The kinds of a text block a person sends (LangChain's and the Responses API's)."""


def _message_text(content: Any) -> str:
    """What a person wrote in a message: its text, or its content blocks' texts a line each (a block
    other than text as its JSON, characters as written: "€1200" stays a token the user typed)."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return _text(content)
    return "\n".join(b if isinstance(b, str) else b["text"] if _is_text_block(b)
                     else json.dumps(b, default=repr, ensure_ascii=False) for b in content)


def _is_text_block(b: Any) -> bool:
    """Whether a content block is text: of a text kind, or Bedrock's `{"text": ...}`, which names its kind
    by its one key (read as JSON, a line break would glue the word before it to its escape)."""
    return isinstance(b, dict) and isinstance(b.get("text"), str) and (
        b.get("type") in _TEXT_BLOCKS or ("type" not in b and len(b) == 1))


def _spelling(text: str) -> str:
    """A handle's value as `_spans` knows one written in clear: case kept, runs of white space as one
    space; a value that folding changes, with its words as written (a look-alike is another value)."""
    folded = " ".join(_fold(text).split())
    written = " ".join(text.split())
    return folded if folded == written else f"{folded}\0{written}"


def _folded_words(texts: list[str]) -> tuple[str, tuple[list[int], list[str | None]]]:
    """The texts joined by a space, each word folded (`_fold`), and where each word begins in that text
    with how it was written where folding changed it (see `_written`)."""
    folded: list[str] = []
    at: list[int] = []
    written: list[str | None] = []
    k = 0
    for w in (w for t in texts for w in t.split()):
        f = _fold(w)
        if f.lower() != (low := _low(w)):  # folded in lower case, as tracking reads it (Г as г, ß as ss)
            f = low
        if len(f.lower()) != len(f):  # keep positions: lower-casing must not change lengths
            f = f.lower()
        folded.append(f)
        at.append(k)
        written.append(None if f == w else w)
        k += len(f) + 1
    return " ".join(folded), (at, written)


def _written(start: int, end: int, written: tuple[list[int], list[str | None]] | None) -> list[str]:
    """The words folding changed that lie in `text[start:end]`, each with its place among the span's
    words and as it was written (`written`: where each word begins, and how it was written if folding
    changed it): "Moоn Moon" and "Moon Moоn" are two values."""
    if written is None:
        return []
    at, words = written
    first = max(0, bisect_right(at, start) - 1)
    return [f"{i}:{w}" for i, w in enumerate(words[first:bisect_left(at, end)]) if w]


def _leaves(value: Any) -> list[Any]:
    """The leaves a value holds for labelling: its texts and numbers, a mapping's keys among them; an
    object (a model, a dataclass) read as the tool reads it, the names its schema gives its fields left
    out (no one writes them: a call naming a payee's `iban` says nothing)."""
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (k, *_leaves(v))]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [x for v in value for x in _leaves(v)]
    if value is None or isinstance(value, (str, int, float)) or _is_decimal(value):
        return [value]
    plain = json_value(value)
    return [plain] if isinstance(plain, str) else _typed_leaves(value, plain)


def _is_decimal(value: Any) -> bool:
    """Whether a value is a finite `Decimal`: a number, as a float is (an amount typed `Decimal` is grounded
    by the number the user typed, never compared as the text `json_value` writes for it)."""
    return isinstance(value, Decimal) and value.is_finite()


def _empties(value: Any, in_list: bool = False) -> int:
    """How many empty lists and records a value holds (read as the tool reads it), and lists directly in
    lists: each, like a leaf, is something the model wrote (`[[], [[]]]` holds no leaf, `[[[""]]]` one)."""
    if isinstance(value, Mapping):
        return sum(_empties(v) for v in value.values()) if value else 1
    if isinstance(value, (list, tuple, set, frozenset)):
        return in_list + (sum(_empties(v, True) for v in value) if value else 1)
    if value is None or isinstance(value, (str, int, float)):
        return 0
    plain = json_value(value)
    return 0 if isinstance(plain, str) else _empties(plain, in_list)


def _typed_leaves(value: Any, plain: Any) -> list[Any]:
    """The leaves of `plain`, `value` as JSON or as written for it (the model's arguments), without the
    field names `value`'s schema declares, at every level where it is an object of its own."""
    if _is_decimal(value) and plain == str(value):  # a number (as `_leaves` keeps one); as written, its text
        return [value]
    fields = _fields_of(value)
    if isinstance(plain, Mapping):
        out: list[Any] = []
        for k, v in plain.items():
            attr = fields.get(k) if k.__class__ is str else None
            if attr is None:
                out.append(k)  # a key no schema named: someone wrote it
                out += _leaves(v)
            else:
                out += _typed_leaves(getattr(value, attr, None), v)
        return out
    if isinstance(plain, list) and isinstance(value, (list, tuple)) and len(value) == len(plain):
        return [x for item, p in zip(value, plain) for x in _typed_leaves(item, p)]
    return _leaves(plain)


def _fields_of(value: Any) -> dict[str, str]:
    """The keys under which a model's or a dataclass's fields are written (names and aliases), with the
    attribute each names; none for anything else."""
    cls = type(value)
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict):
        out = {name: name for name in fields}
        out.update({f.alias: name for name, f in fields.items() if getattr(f, "alias", None)})
        return out
    named = getattr(cls, "__dataclass_fields__", None)
    return {name: name for name in named} if isinstance(named, dict) else {}


def _written_leaves(written: Any, value: Any) -> list[Any]:
    """The leaves of an argument as the model wrote it (JSON) for a value validated as `value`."""
    return _typed_leaves(value, written) if _fields_of(value) else _leaves(written)


def _strings_of(value: Any) -> list[str]:
    """The text leaves of a value, its mappings' keys among them (numbers as their `str`; None and booleans
    hold no text), in order; not a JSON value (a model, a dataclass, bytes) is read as `json_value`
    reads it, as the tool reads it (unlike `_leaves`, which keeps each leaf as it is, for labelling)."""
    if value.__class__ is str or isinstance(value, str):
        return [value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, Mapping):
        return [t for k, v in value.items() for t in (*_strings_of(k), *_strings_of(v))]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [t for v in value for t in _strings_of(v)]
    if value is None or isinstance(value, bool):
        return []
    plain = json_value(value)  # a model, a dataclass, bytes: what the tool reads of it, as labelling reads it
    return [plain] if isinstance(plain, str) else _strings_of(plain)


def _all_strings(value: Any) -> list[str]:
    return [_text(v) for v in _leaves(value) if v is not None]


_END = 256
"""The characters kept of each end of a long text read for the values it joins (`text_ends`)."""
_END_DIGITS = 32
"""The digits each end holds at least (`text_ends`): more than a digit token has."""
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_ASCII_DIGIT = re.compile(r"[0-9]")
_COUNTED: dict[str, tuple[bool, bool]] = {}
"""A character -> whether value tracking reads a letter or digit in it, and a digit (`_counted`)."""


def _counted(c: str) -> tuple[bool, bool]:
    """Whether value tracking reads a letter or digit in a character, and a digit: as folded (`_fold`),
    so a blank filler or a format character, which folding drops, counts for neither."""
    hit = _COUNTED.get(c)
    if hit is None:
        f = _fold(c)
        hit = (any(x.isalnum() for x in f), any(x.isdigit() for x in f))
        if len(_COUNTED) >= 65536:
            _COUNTED.clear()
        _COUNTED[c] = hit
    return hit


def text_ends(text: str) -> tuple[str, ...]:
    """A text as what lies beside it reads it: whole, or its two ends when long (a value cut across it
    and a text beside it has its piece there; what lies inside was checked alone). An end is measured
    as value tracking reads the text: it holds `_END` characters, and at least `_END` letters and
    digits and `_END_DIGITS` digits (a piece followed by punctuation, blanks or letters, which
    tracking skips, is at the text's end for the words and digits it reads)."""
    if len(text) <= 2 * _END:
        return (text,)
    head, tail = _END, len(text) - _END
    if text.isascii():
        alnum = [m.start() for m in _ASCII_ALNUM.finditer(text)]
        digits = [m.start() for m in _ASCII_DIGIT.finditer(text)]
    else:  # counted as tracking reads them: a blank filler is no letter, though Unicode calls it one
        alnum, digits = [], []
        for i, c in enumerate(text):
            a, d = _counted(c)
            if a:
                alnum.append(i)
                if d:
                    digits.append(i)
    for places, n in ((alnum, _END), (digits, _END_DIGITS)):
        if len(places) > n:
            head, tail = max(head, places[n - 1] + 1), min(tail, places[-n])
        elif places:
            head, tail = max(head, places[-1] + 1), min(tail, places[0])
    return (text,) if head >= tail else (text[:head], text[tail:])


def forget_texts() -> None:
    """Empty this module's caches of texts (a thread erased, `PrivacyFlow.forget`: they are keyed by the texts
    its results and arguments held); what they held is worked out again."""
    for table in (_DECODED, _NORMS, _DIGITS, _UNITS):
        table.clear()
    for memo in (_fold_slow, _low_slow, _user_forms, _track_forms, _users_forms):
        memo.cache_clear()
