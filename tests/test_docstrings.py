"""Docstring examples run as tests (pyoxigraph's habit)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "crosswalk.ontology",
    "crosswalk.graph.embedded",
    "crosswalk.graph.binding",
    "crosswalk.graph.remote_dataset",
    "crosswalk.graph.query_text",
    "crosswalk.api.sparql_guard",
    "crosswalk.queries.firm",
    "crosswalk.api.report_layout",
    "crosswalk.api.report_markdown",
    "crosswalk.graph.profile",
    "crosswalk.ontology.tiers",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
