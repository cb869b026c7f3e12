"""A type checker reads vfa's own annotations: each package ships `py.typed` (PEP 561), and `guards`, whose
names resolve lazily through a module `__getattr__` typed `-> Any`, imports each public name for type checkers
(`if TYPE_CHECKING:`), so `from guards import Policy` is `Policy` to mypy and pyright, not `Any`.

Without the marker mypy --strict reports `import-not-found` for `vfa`, `guards` and `graphs` in every user file
and treats their decorators as untyped; without the imports every `guards` name is `Any`."""

import ast
import importlib.resources
import inspect

import pytest

import guards


@pytest.mark.parametrize("package", ["vfa", "guards", "graphs"])
def test_each_package_ships_py_typed(package: str) -> None:
    assert (importlib.resources.files(package) / "py.typed").is_file(), f"{package} has no py.typed marker"


def _type_checking_imports(tree: ast.Module) -> dict[str, str]:
    """name -> module for each `from .module import name as name` under a top-level `if TYPE_CHECKING:`."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom), ast.dump(stmt)
                for alias in stmt.names:
                    # `X as X` marks a re-export; a bare `X` is private to the module for mypy --strict
                    assert alias.asname == alias.name, f"{alias.name} imported without `as {alias.name}`"
                    found[alias.name] = "." * stmt.level + (stmt.module or "")
    return found


def test_guards_lazy_names_are_typed_for_type_checkers() -> None:
    tree = ast.parse(inspect.getsource(guards))
    static = _type_checking_imports(tree)
    assert static == guards._EXPORTS, (
        f"missing for type checkers: {sorted(set(guards._EXPORTS) - set(static))}; "
        f"stale or from another module: {sorted(k for k in static if static[k] != guards._EXPORTS.get(k))}")
