"""A tool argument named like a pydantic property is refused where the tool is declared, never read as that property.

What must hold ("a signature no arguments' model can hold is refused where the tool is
declared"; house rule: nothing a guard did not judge reaches a tool): a tool's arguments are given to its
guards and to the tool as the model wrote them.

`vfa/_tools.py` `ToolSpec.validate` reads each field back with `getattr(model, name)`. For the two names that
`BaseModel` defines as properties, `model_extra` and `model_fields_set`, that returns the property, not the
field: `def f(model_extra: int)` called with `{"model_extra": 7}` is judged and run with `model_extra=None`,
and `model_fields_set` with the set `{"model_fields_set"}`. `_model_from_signature` refuses `model_config` and
the names pydantic itself rejects (`model_dump`), but builds these two silently (pydantic only warns).

Fixed: _model_from_signature refuses any name BaseModel defines as a property (ConfigError naming tool and
argument).
"""

from __future__ import annotations

import warnings

import pytest

from vfa import ConfigError
from vfa._tools import ToolSpec


@pytest.mark.parametrize("arg", ["model_extra", "model_fields_set"])
def test_an_argument_named_like_a_pydantic_property_is_refused_or_read_as_written(arg):
    ns: dict = {}
    exec(f"def limit(amount: int, {arg}: int) -> str:\n    return 'ok'", ns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic's "shadows an attribute in parent BaseModel"
        try:
            spec = ToolSpec.of(ns["limit"])
        except ConfigError as exc:
            assert arg in str(exc)
            return
    args = spec.validate({"amount": 1, arg: 7})
    assert args == {"amount": 1, arg: 7}, f"the tool and its guards would be given {args}, the model wrote {arg}=7"
