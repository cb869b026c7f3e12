"""How a tool's whole text is labelled (`_blob_source`) is kept per declaration, and was kept for good.

Declarations are made anew at run time (a tool's error source past the cache that keeps 256 of them, a
record's source reshaped), and each new one added an entry, holding the declaration, that nothing ever
dropped: a long-running process with many tools grew without bound. Its neighbours (`_SHAPED`, the
flow's caches) are cleared when full.

Fixed: the cache is cleared past 1024 entries, as its neighbours are; a cleared entry is made again.
"""

from __future__ import annotations

from guards._privacy_decl import Source
from guards._walk import _BLOBS, _blob_source


def test_blob_sources_stay_bounded_and_read_alike() -> None:
    first = Source(private=frozenset({"ssn"}), untrusted=True, handle=False)
    kept = _blob_source(first)
    decls = [Source(private=frozenset({f"f{i}"}), untrusted=False, handle=False) for i in range(5000)]
    for d in decls:
        _blob_source(d)
    assert len(_BLOBS) <= 1025
    again = _blob_source(first)
    assert again == kept and again.private == frozenset({""}) and again.untrusted is True
