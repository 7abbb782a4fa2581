"""Render a harmonization report (the plain dict of `crosswalk.queries.report`) as HTML (Jinja2),
PDF (WeasyPrint, from that HTML), Markdown (api/report_markdown.py) or JSON. One structure in, four
formats out.

>>> sorted(FORMATS)
['html', 'json', 'md', 'pdf']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from crosswalk.graph.errors import QueryError
from crosswalk.queries.findings import modality_words
from crosswalk.queries.report import SECTIONS

from . import report_svg
from .report_layout import (
    PLAIN_PROVENANCE,
    applies_from,
    conflict_sides,
    layout,
    pair_verdicts,
    reasons_shown,
    regenerate,
    verdict_text,
)
from .report_markdown import render_markdown

if TYPE_CHECKING:
    from jinja2 import Environment
    from weasyprint.document import Document

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
BASE = "https://w3id.org/crosswalk/"


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise QueryError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


@cache
def _environment() -> Environment:
    # Jinja2 is imported when the first report renders: other commands start without it
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("crosswalk.api", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["native_name"] = native_name
    env.globals["modality_words"] = modality_words  # soft law's "obligation" is a recommendation
    return env


def native_name(title: str) -> str:
    """An instrument's name in its own script where its title starts with one (Korean, Chinese,
    Japanese): the annex prints it under the short English title, so a reader can find the law."""
    head = title.split(" (", 1)[0]
    return head if any(ord(ch) >= 0x2E80 for ch in head) else ""


def _linker(link_base: str | None) -> Callable[[str], str]:
    """IRIs under w3id.org/crosswalk point at this server's own pages when it serves the report."""
    if link_base is None:
        return lambda iri: iri
    return lambda iri: link_base + iri[len(BASE) :] if iri.startswith(BASE) else iri


def render_html(
    report: Mapping[str, Any] | None,
    *,
    link_base: str | None = None,
    form: Mapping[str, Any] | None = None,
    fmt: str = "html",
) -> str:
    """The report page. With `form` it is the web app's comparison page (a form to pick parties,
    date and groups above the report); `report` may then be None (nothing chosen yet)."""
    link = _linker(link_base)  # a context function, not a filter: the environment is shared by threads
    context: dict[str, Any] = {
        "r": report,
        "web": form is not None,
        "form": form or {},
        "link": link,
        "concept_base": link(BASE + "concept/"),
        "sections": SECTIONS,
        "fmt": fmt,  # the regenerate command names the format the reader holds
        "regenerate": regenerate,
        "plain_provenance": PLAIN_PROVENANCE,
        "pair_verdicts": pair_verdicts,
        "verdict_text": verdict_text,
    }
    if report is not None:
        codes = [p["code"] for p in report["parties"]]
        provs = report["provisions"]
        heat = {(c["party"], c["group"]): c for c in report["heatmap"]["cells"]}
        pairs = {(p["a"], p["b"]): p for p in report["summary"]["pairs"]}
        context |= {
            "lay": layout(report),
            "applies_from": lambda iris: applies_from(provs, iris),
            "conflict_sides": lambda f: conflict_sides(provs, f),
            "reasons_shown": lambda f: reasons_shown(provs, f),
            "pair_of": {**pairs, **{(b, a): p for (a, b), p in pairs.items()}},
            "party_codes": codes,
            "heat": heat,
            "heat_svg": report_svg.heatmap(codes, report["groups"], report["heatmap"]["cells"]),
            "index_svg": report_svg.index_matrix(
                codes, {k: p["index"] for k, p in pairs.items()}, {k: p["counts"]["conflict"] for k, p in pairs.items()}
            ),
        }
    else:
        context["party_codes"] = []
    return _environment().get_template("report.html.j2").render(context)


def printed(report: Mapping[str, Any]) -> Document:
    """The HTML report laid out in pages by WeasyPrint (imported here: it costs half a second to
    load); its pages and boxes say where everything fell (tests/test_report_pages.py)."""
    from weasyprint import HTML

    return HTML(string=render_html(report, fmt="pdf"), base_url=BASE).render()


def render_pdf(report: Mapping[str, Any]) -> bytes:
    """The HTML report printed by WeasyPrint."""
    pdf = printed(report).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_json(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def render(report: Mapping[str, Any], fmt: str, *, link_base: str | None = None) -> bytes:
    """The report in one of FORMATS, as bytes ready to write or serve."""
    check_format(fmt)
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "html":
        return render_html(report, link_base=link_base).encode()
    if fmt == "md":
        return render_markdown(report).encode()
    return render_json(report).encode()


__all__ = ["FORMATS", "check_format", "printed", "render", "render_html", "render_markdown", "render_pdf"]
