"""`typing.get_type_hints` resolves the annotations of vfa's public data objects and functions.

The packages re-home their public names (`__module__ = "vfa"`, "guards", "graphs") so reprs read `vfa.Deny`;
`get_type_hints` then reads a class's string annotations (`from __future__ import annotations`) in that
package's namespace, which holds no `Any`, `Literal`, `Mapping` or `np`: `get_type_hints(vfa.Deny)` raised
`NameError: name 'Literal' is not defined`, and so did anything that introspects them (a schema generator, a
framework reading a state or response type, a user's own tooling). Names imported only under `TYPE_CHECKING`
raise the same way."""

import importlib
import inspect
import typing

import pytest

# a base class outside vfa: langchain's AgentMiddleware annotates `tools: list[BaseTool]` with BaseTool
# imported only for type checkers, so its subclasses' hints cannot be read (not ours to fix)
_UPSTREAM = {"graphs.GuardMiddleware"}


def _public(package: str) -> list[tuple[str, object]]:
    module = importlib.import_module(package)
    out = []
    for name in module.__all__:
        obj = getattr(module, name)
        if (isinstance(obj, type) or inspect.isfunction(obj)) and f"{package}.{name}" not in _UPSTREAM:
            out.append((f"{package}.{name}", obj))
    return out


@pytest.mark.parametrize("label, obj", [p for pkg in ("vfa", "guards", "graphs") for p in _public(pkg)],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_public_annotations_resolve(label: str, obj: object) -> None:
    typing.get_type_hints(obj, include_extras=True)


def test_verdict_and_proposal_fields_resolve_to_their_types() -> None:
    from vfa import CommitRecord, Deny, Proposal

    assert typing.get_type_hints(Deny)["kind"] == typing.Literal["deny"]
    assert typing.get_type_hints(Proposal)["args"] == dict[str, typing.Any]
    assert typing.get_type_hints(CommitRecord)["result"] is typing.Any
