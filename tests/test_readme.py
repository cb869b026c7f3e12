"""Every Python snippet in the README and docs/ runs and prints what it says it prints; every doc is linked."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))


def snippets(path: Path) -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)
    return [b for b in blocks if not b.startswith("# fragment")]  # fragments of a user's own app


def test_readme_snippets_run_and_print_what_they_claim():
    assert snippets(README), "the README has no Python snippet"
    for path in [README, *DOCS]:
        for code in snippets(path):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                exec(compile(code, str(path), "exec"), {"__name__": "readme"})
            expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
            printed = buf.getvalue().splitlines()
            for line in expected:
                assert line in printed, f"{path.name} claims {line!r}, printed {printed}"


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_links_to_files_of_the_checkout_resolve(path):
    """A relative link names a file that exists: the reference moved out of the README is found from it."""
    links = [t for t in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", path.read_text()) if "://" not in t]
    missing = [t for t in links if not (path.parent / t).exists()]
    assert not missing, f"{path.name} links to missing files: {missing}"


def test_every_doc_is_linked_from_the_readme():
    text = README.read_text()
    assert DOCS, "docs/ holds no reference"
    assert [p.name for p in DOCS if f"(docs/{p.name})" not in text] == []
