"""The assessment as HTML and PDF: a template over `Assessment.to_dict()` (the JSON twin), laid
out in pages by WeasyPrint as the reports are (api/report_render.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from crosswalk.queries.compare import context


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("crosswalk.api", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
    )


def render_html(data: dict[str, Any]) -> str:
    """One page: misalignment, each market's tiers and provisions, the crosswalk."""
    return _environment().get_template("assess.html.j2").render(a=data, labels=context().concept_label)


def render_pdf(data: dict[str, Any]) -> bytes:
    """The same page printed by WeasyPrint (imported here: it costs half a second to load)."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(data)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_form(example: str, today: str) -> str:
    """The browser form that posts a profile to /assess and shows the page it returns."""
    return _environment().get_template("assess-form.html.j2").render(example=example, today=today)
