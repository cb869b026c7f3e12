from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import vfa


def test_public_names_are_exported_once_and_documented():
    assert vfa.__all__ == sorted(vfa.__all__)
    assert len(vfa.__all__) == len(set(vfa.__all__))
    for name in vfa.__all__:
        obj = getattr(vfa, name)
        if isinstance(obj, type) or callable(obj):
            assert (obj.__doc__ or "").strip(), f"vfa.{name} has no docstring"


def test_classes_present_themselves_as_vfa():
    assert vfa.Deny.__module__ == "vfa" and vfa.Agent.__module__ == "vfa"


def test_exceptions_share_one_root():
    for exc in (vfa.ConfigError, vfa.PolicyError, vfa.CoverageError, vfa.UnmediatedEffectError, vfa.JournalError):
        assert issubclass(exc, vfa.VfaError)
    import pickle

    err = pickle.loads(pickle.dumps(vfa.CoverageError("x", nodes=("tools",))))
    assert err.nodes == ("tools",)


def test_import_vfa_loads_neither_z3_nor_numba_nor_the_guard_library():
    code = "import sys, vfa; print([m for m in ('z3', 'numba', 'guards', 'graphs') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_kernel_modules_import_no_heavy_or_upper_layer_at_module_level():
    # (langsmith, a langchain-core dependency, loads the OTel SDK itself; vfa's own modules must not.)
    banned = ("z3", "numba", "opentelemetry.sdk", "guards", "graphs")
    for path in Path(vfa.__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                assert not name.startswith(banned), f"{path.name} imports {name} at module level"


def test_guards_and_graphs_export_documented_names_without_loading_z3_or_numba():
    code = (
        "import sys, guards, graphs\n"
        "assert guards.__all__ == sorted(guards.__all__), 'guards.__all__ unsorted'\n"
        "assert graphs.__all__ == sorted(graphs.__all__), 'graphs.__all__ unsorted'\n"
        "for pkg in (guards, graphs):\n"
        "    for name in pkg.__all__:\n"
        "        obj = getattr(pkg, name)\n"
        "        if isinstance(obj, type) or callable(obj):\n"
        "            assert (obj.__doc__ or '').strip(), f'{pkg.__name__}.{name} has no docstring'\n"
        "print(sorted(m for m in ('z3', 'numba') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    # resolving every name loads z3 and numba, but only guards' own modules import them
    for path in (Path(vfa.__file__).parents[1] / "graphs").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+(z3|numba)\b", path.read_text(), re.M), path.name
    for path in (Path(vfa.__file__).parents[1] / "guards").rglob("*.py"):
        if re.search(r"^\s*(import|from)\s+z3\b", path.read_text(), re.M):
            assert path.name == "_z3.py", f"{path.name} imports z3"
        if re.search(r"^\s*(import|from)\s+numba\b", path.read_text(), re.M):
            assert path.parent.name == "_numba", f"{path.name} imports numba"


def test_import_guards_is_lazy():
    code = "import sys, guards; print(sorted(m for m in ('z3', 'numba') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_each_public_docstring_opens_with_a_one_line_summary():
    """The first paragraph of a public object's docstring is one line, as `help()` and IDEs show it."""
    import inspect

    import graphs
    import guards

    long = []
    for pkg in (vfa, guards, graphs):
        for name in pkg.__all__:
            obj = getattr(pkg, name)
            if isinstance(obj, type) and obj.__module__ == "builtins" or not (isinstance(obj, type) or callable(obj)):
                continue
            summary = (inspect.getdoc(obj) or "").split("\n\n")[0]
            if "\n" in summary:
                long.append(f"{pkg.__name__}.{name}")
    assert long == []


def test_every_source_file_compiles_without_a_warning():
    """An invalid escape in a docstring warns now and is an error in a later Python."""
    import warnings

    root = Path(vfa.__file__).parents[1]
    for folder in ("vfa", "guards", "graphs", "benchmarks", "examples", "tests"):
        for path in (root / folder).rglob("*.py"):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                compile(path.read_text(), str(path), "exec")
