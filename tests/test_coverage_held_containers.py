"""Red team 58c: the coverage check reads a node's globals and closure one container deep (the items of a
list, tuple or dict) and a method's own instance attributes, nothing further. A node that reaches a
labelled read-only tool through a registry of the app's own is accepted by `guard_graph(..., flow=flow)`:
a dict of dicts, a list of tuples, a settings object's attribute, a class attribute, or an attribute of
another module (`app_tools.web`). The untrusted page reaches the model unlabelled, and the attacker's
IBAN in it is paid. (`vfa/_coverage.py:_Walker.held_all` / `_Walker.function`.)"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from _bakery import browse, context
from test_coverage_held_wrappers import run_research

# -- registries of the app's own, none naming the tool by a global of the node's module -----------------

REGISTRY = {"web": {"page": browse}}
PAIRS = [("page", browse)]
SETTINGS = types.SimpleNamespace(page_tool=browse)


class Tools:
    page_tool = browse


class Researcher:
    source = browse  # a class attribute, read through self

    def __call__(self, state: Any) -> dict[str, Any]:
        return context(self.source.invoke({"url": "https://bakery.example"}))


_mod = types.ModuleType("rt58c_app_tools")
_mod.page_tool = browse
sys.modules["rt58c_app_tools"] = _mod
import rt58c_app_tools


def research_nested_dict(state: Any) -> dict[str, Any]:
    return context(REGISTRY["web"]["page"].invoke({"url": "https://bakery.example"}))


def research_pairs(state: Any) -> dict[str, Any]:
    return context(dict(PAIRS)["page"].invoke({"url": "https://bakery.example"}))


def research_settings(state: Any) -> dict[str, Any]:
    return context(SETTINGS.page_tool.invoke({"url": "https://bakery.example"}))


def research_class_attribute(state: Any) -> dict[str, Any]:
    return context(Tools.page_tool.invoke({"url": "https://bakery.example"}))


def research_module_attribute(state: Any) -> dict[str, Any]:
    return context(rt58c_app_tools.page_tool.invoke({"url": "https://bakery.example"}))


@pytest.mark.parametrize("research", [
    research_nested_dict, research_pairs, research_settings, research_class_attribute,
    research_module_attribute, Researcher(),
], ids=["nested_dict", "list_of_tuples", "namespace", "class_attribute", "module_attribute", "callable_class_attr"])
def test_a_labelled_read_only_tool_held_in_a_registry_is_named(research: Any) -> None:
    assert run_research(research) == [], "an unlabelled page read through a registry drove the payment"
