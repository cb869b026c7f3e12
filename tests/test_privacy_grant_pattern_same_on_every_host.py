"""Whether a grant or trusted pattern matches depends on the host the flow or the audit runs on.

`PrivacyPolicy.granted` and `trusts` use `fnmatch.fnmatch`, which first applies `os.path.normcase` to both
the source and the pattern: the identity on Linux and macOS, but on Windows it lower-cases both and turns
every "/" into "\\". So the same policy over the same trace grants `file:TAX/Salaries.xlsx` to the holder of
`file:tax/*` (and `email:<ID>` to the holder of `email:<id>`) when the audit runs on Windows, and not when
the live guard ran on Linux, and a key's backslashes count as slashes there alone.

Why it matters: the audit must report the same violations as the live guard, whatever machine reads the
journal; sources keep their case everywhere else (docs/privacy.md's "case kept" for authority values).

Expected: patterns match case kept and slash for slash on every host (`fnmatch.fnmatchcase`).

Fixed: patterns are matched with `fnmatchcase`.
"""

from __future__ import annotations

import ntpath
import posixpath

import pytest

from guards import PrivacyPolicy

USER, CPA = "emma@home.example", "cpa@tax.example"
SOURCES = ["file:TAX/Salaries.xlsx", "email:<AbC@mail.example>", "file:tax\\w2.txt", "file:tax/w2.txt"]


def _answers() -> list[tuple[frozenset[str], bool]]:
    policy = PrivacyPolicy.of(USER, grants={CPA: ["file:tax/*", "email:<abc@mail.example>"]},
                              trusted_sources=["file:tax/*", "email:<abc@mail.example>"])
    return [(policy.granted([s]), policy.trusts([s])) for s in SOURCES]


def test_a_pattern_matches_the_same_on_windows_as_on_posix(monkeypatch: pytest.MonkeyPatch) -> None:
    posix = _answers()
    monkeypatch.setattr(posixpath, "normcase", ntpath.normcase)  # what `fnmatch` reads on Windows
    assert _answers() == posix


def test_control_on_posix_case_and_slashes_are_kept() -> None:
    assert _answers() == [(frozenset(), False), (frozenset(), False), (frozenset(), False),
                          (frozenset({CPA}), True)]
