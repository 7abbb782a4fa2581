"""Harmonization reports: one real 3-party comparison (EU, Colorado, Korea) rendered in every
format and checked with real tools: an XML parser for the HTML, markdown-it for the Markdown,
PDFium (pypdfium2) for the PDF's text and its first page as pixels, jsonschema for the JSON.
Then the same report over real HTTP, with every local link followed."""

from __future__ import annotations

import copy
import ctypes
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from markdown_it import MarkdownIt

from crosswalk.api.report_render import render, render_html, render_markdown
from crosswalk.graph.store import Store
from crosswalk.queries.compare import compare
from crosswalk.queries.report import SECTIONS, build_report

AT = date(2026, 11, 24)
PARTIES = ["EU", "US-CO", "KR"]
SCHEMA = json.loads((files("crosswalk.api") / "report.schema.json").read_text(encoding="utf-8"))  # as shipped
XHTML = "{http://www.w3.org/1999/xhtml}"
HEADINGS = [f"{n}. {title}" for n, title in enumerate(SECTIONS, 1)]


@pytest.fixture(scope="module")
def report(corpus: Store) -> dict[str, Any]:
    return build_report(corpus, PARTIES, AT, generated_on=AT)


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


# ------------------------------------------------------------------ the data structure and the law
def test_json_validates_against_its_schema(report: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    data = json.loads(render(report, "json"))
    assert list(_validator().iter_errors(data)) == []
    broken = copy.deepcopy(data)
    next(iter(broken["provisions"].values())).pop("summary")
    broken["summary"]["pairs"][0]["index"] = 1.5
    assert len(list(_validator().iter_errors(broken))) == 2  # the schema really constrains


def test_parties_date_and_standing_of_instruments(report: dict[str, Any]) -> None:
    assert [p["code"] for p in report["parties"]] == PARTIES
    assert report["as_of"] == "2026-11-24"
    assert next(p for p in report["parties"] if p["code"] == "US-CO")["inherits_from"] == ["US"]
    standing = {i["short_title"]: i for i in report["instruments"]}
    # Regulation (EU) 2024/1689 entered into force on 1 August 2024 and its first chapters apply
    assert standing["EU AI Act"]["standing"] == "binding"
    # EO 14110 was revoked by EO 14148 on 20 January 2025: listed, not in force
    assert standing["EO 14110 (revoked)"]["standing"] == "not-in-force"
    # the NIST AI RMF is voluntary federal guidance: soft law, and a state does not inherit it
    rmf = standing["NIST AI RMF 1.0"]
    assert (rmf["standing"], rmf["counted"], rmf["binding"]) == ("soft-law", False, False)
    assert report["data_version"] and len(report["data_version"]) == 64


def test_before_the_ai_act_applied_it_is_pending_not_law(corpus: Store) -> None:
    # On 1 June 2024 the AI Act was not yet in force (it entered into force on 1 August 2024)
    early = build_report(corpus, ["EU", "KR"], date(2024, 6, 1))
    act = next(i for i in early["instruments"] if i["short_title"] == "EU AI Act")
    assert act["standing"] == "pending"
    assert not any(r["provisions"]["EU"] for s in early["sections"] for r in s["rows"])


def test_summary_agrees_with_the_pairwise_comparisons(corpus: Store, report: dict[str, Any]) -> None:
    assert len(report["summary"]["pairs"]) == 3
    for pair in report["summary"]["pairs"]:
        direct = compare(corpus, [pair["a"], pair["b"]], AT)
        assert pair["index"] == direct.index
        assert pair["counts"] == direct.counts()
    totals = report["summary"]["totals"]
    assert totals["divergent"] == sum(p["counts"]["divergent"] for p in report["summary"]["pairs"])
    top = report["summary"]["most_significant_divergences"]
    # the three most significant among the firm ones (queries/firm.py): the summary carries no other
    assert 0 < len(top) <= 3 and top == [d for d in report["divergences"] if not d["held_back"]][:3]
    scores = [d["significance"] for d in report["divergences"]]
    assert scores == sorted(scores, reverse=True)


def test_gaps_only_against_declared_coverage(corpus: Store, report: dict[str, Any]) -> None:
    # Korea has declared no coverage in the corpus, so its absences are "not curated", never gaps
    korea = [g for g in report["gaps"] if g["party"] == "KR"]
    assert korea and all(not g["gaps"] for g in korea) and all(g["not_curated"] for g in korea)
    # The EU declared its prohibited practices curated (Art. 5 in full). Korea has made AI sexual
    # deepfakes an offence since 16 Oct 2024 (Sexual Crimes Act Art. 14-2), while the EU's ban
    # on AI systems generating non-consensual intimate imagery (Art. 5(1)(ba), inserted by
    # Reg. (EU) 2026/1744) applies only from 2 Dec 2026: in November 2026 this is a gap on the
    # EU side ...
    eu_vs_kr = next(g for g in report["gaps"] if g["party"] == "EU" and g["to_match"] == "KR")
    assert "SexualAbuseContentGeneration" in {f["concept"] for f in eu_vs_kr["gaps"]}
    # ... and once Art. 5(1)(ba) applies the gap is gone. The EU's provider duties are no longer
    # declared complete (the Machinery Regulation's machine-learning rules are a known omission),
    # so the EU's missing risk-management duty in 2026 reads "not curated", never a gap.
    assert "RiskManagementSystem" not in {f["concept"] for f in eu_vs_kr["gaps"]}
    assert "RiskManagementSystem" in {f["concept"] for f in eu_vs_kr["not_curated"]}
    later = build_report(corpus, ["EU", "KR"], date(2028, 1, 1))
    eu_later = next(g for g in later["gaps"] if g["party"] == "EU")
    assert "SexualAbuseContentGeneration" not in {f["concept"] for f in eu_later["gaps"]}
    for g in report["gaps"]:
        for f in g["gaps"]:
            assert f["missing"] == g["party"] and f["provisions"][g["to_match"]]


def test_method_lists_known_omissions_including_inherited_ones(report: dict[str, Any]) -> None:
    omissions = report["method"]["omissions"]
    assert set(omissions) == set(PARTIES)
    # Colorado inherits US federal law, so the federal rules not curated (the FCC's 2024 ruling
    # on AI voices under the TCPA among them) are reasons too; and Colorado's own (HB 24-1147).
    colorado = omissions["US-CO"]
    assert any(o["jurisdiction"] == "US" and "FCC 24-17" in o["note"] for o in colorado)
    assert any(o["jurisdiction"] == "US-CO" and "HB 24-1147" in o["note"] for o in colorado)
    # Korea's Enforcement Decree is now curated; its impact-assessment content still is not
    assert any("Enforcement Decree" in o["note"] and "deployer-duties" in o["groups"] for o in omissions["KR"])
    # a group both declared and omitted would contradict itself (the EU declares some)
    assert report["method"]["coverage"]["EU"]
    assert not {g for o in omissions["EU"] for g in o["groups"]} & set(report["method"]["coverage"]["EU"])
    html = render(report, "html").decode()
    assert "<h3>Known omissions</h3>" in html and "FCC 24-17" in html
    assert "### Known omissions" in render(report, "md").decode()


def test_common_baseline_includes_ai_interaction_disclosure(report: dict[str, Any]) -> None:
    # EU AI Act Art. 50(1), Colorado C.R.S. 6-1-1704 and the Korean AI Basic Act Art. 31(1) all
    # require telling people that they are dealing with an AI system
    entry = next(e for e in report["baseline"]["common"] if e["concept"] == "AIInteractionDisclosure")
    cites = {j: {report["provisions"][i]["citation"] for i in iris} for j, iris in entry["provisions"].items()}
    assert "Art. 50(1)" in cites["EU"] and "Art. 31(1)" in cites["KR"]
    assert any(c.startswith("C.R.S. 6-1-1704") for c in cites["US-CO"])
    assert "transparency" in entry["protects"]


def test_heatmap_has_a_cell_per_party_and_group(report: dict[str, Any]) -> None:
    cells = report["heatmap"]["cells"]
    assert len(cells) == len(PARTIES) * len(report["groups"])
    for c in cells:
        assert c["score"] is None or 0 <= c["score"] <= 1


def test_concept_groups_filter(corpus: Store) -> None:
    only = build_report(corpus, PARTIES, AT, ["transparency"])
    assert [g["key"] for g in only["groups"]] == ["transparency"]
    assert {s["group"] for s in only["sections"]} == {"transparency"}
    assert all(f["group"] == "transparency" for f in only["divergences"])
    for pair in only["summary"]["pairs"]:  # the index is over the chosen groups' concepts only
        assert pair["index"] == compare(corpus, [pair["a"], pair["b"]], AT, ["transparency"]).index


# ------------------------------------------------------------------ the four formats
def test_html_is_well_formed_with_every_section_and_the_pictures(report: dict[str, Any]) -> None:
    root = ET.fromstring(render_html(report).removeprefix("<!DOCTYPE html>"))
    h2 = [("".join(e.itertext())).strip() for e in root.iter(f"{XHTML}h2")]
    assert h2 == HEADINGS
    svgs = list(root.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(svgs) == 2 and all(s.get("role") == "img" for s in svgs)
    captions = [("".join(c.itertext())) for c in root.iter(f"{XHTML}caption")]
    assert sum(c.startswith("Text alternative") for c in captions) == 2  # one per picture
    hrefs = [a.get("href") or "" for a in root.iter(f"{XHTML}a")]
    assert "https://eur-lex.europa.eu/eli/reg/2024/1689/oj" in hrefs


def test_markdown_is_valid_with_consistent_tables(report: dict[str, Any]) -> None:
    text = render_markdown(report)
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    h2 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert h2 == HEADINGS
    tables = 0
    width = cells = 0
    for t in tokens:  # every row of every table has as many cells as its header
        if t.type == "table_open":
            tables, width = tables + 1, 0
        elif t.type == "tr_open":
            cells = 0
        elif t.type in ("th_open", "td_open"):
            cells += 1
        elif t.type == "tr_close":
            width = width or cells
            assert cells == width
    assert tables >= 8
    html = md.render(text)
    assert '<a href="https://eur-lex.europa.eu/eli/reg/2024/1689/oj">' in html  # citations link their source
    assert "Art. 50(1)" in html


def test_pdf_text_has_every_heading_and_a_citation_and_page_one_is_not_blank(
    report: dict[str, Any], tmp_path: Path
) -> None:
    pdf_bytes = render(report, "pdf")
    assert pdf_bytes.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    pdf = pdfium.PdfDocument(str(path))
    assert len(pdf) > 3
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    flat = re.sub(r"\s+", " ", text)
    for heading in HEADINGS:
        assert heading in flat, heading
    assert "Art. 50(1)" in flat and "C.R.S. 6-1-1704" in flat
    image = pdf[0].render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "page1.png")
    dark = sum(image.histogram()[:200])
    assert dark > 0.01 * image.width * image.height  # text and tables, not an empty page


def _embedded_fonts(pdf: pdfium.PdfDocument) -> set[str]:
    names = set()
    for page in pdf:
        for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_raw.FPDFTextObj_GetFont(obj.raw)
            size = pdfium_raw.FPDFFont_GetBaseFontName(font, None, 0)
            buffer = ctypes.create_string_buffer(size)
            pdfium_raw.FPDFFont_GetBaseFontName(font, buffer, size)
            names.add(buffer.value.decode())
    return names


@pytest.mark.skipif(
    not shutil.which("fc-list") or "CJK" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout,
    reason="no CJK font on this machine (Debian: fonts-noto-cjk, which .ci/run installs)",
)
def test_pdf_draws_korean_titles_in_a_cjk_font(corpus: Store, tmp_path: Path) -> None:
    # Korea's AI Basic Act is titled in Korean (인공지능 발전과 신뢰 기반 조성 등에 관한 기본법); without
    # a CJK font WeasyPrint would draw empty boxes, so the title must come out as text set in one.
    path = tmp_path / "eu-kr.pdf"
    path.write_bytes(render(build_report(corpus, ["EU", "KR"], AT, generated_on=AT), "pdf"))
    pdf = pdfium.PdfDocument(str(path))
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "인공지능" in text
    assert any("CJK" in name for name in _embedded_fonts(pdf))


# ------------------------------------------------------------------ command line
def test_cli_writes_each_format(cli: Any, tmp_path: Path, corpus_dir: Path) -> None:
    for fmt in ("json", "md", "html"):
        out = tmp_path / f"r.{fmt}"
        result = cli(
            "report", *PARTIES, "--as-of", "2026-11-24", "--format", fmt, "-o", str(out), "--store", str(corpus_dir)
        )
        assert result.code == 0, result.err
        assert out.stat().st_size > 1000
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert list(_validator().iter_errors(data)) == []
    assert data["as_of"] == "2026-11-24"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["EU", "XX"], "unknown jurisdiction 'XX'"),
        (["EU"], "at least two"),
        (["EU", "KR", "--as-of", "2026-02-30"], "not a date"),
        (["EU", "KR", "--format", "docx"], "unknown report format 'docx'"),
        (["EU", "KR", "--concepts", "nope"], "unknown concept group 'nope'"),
    ],
)
def test_cli_bad_requests_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli("report", *args, "--store", "memory:")
    assert result.code == 2
    assert message in result.err


# ------------------------------------------------------------------ over HTTP
def test_served_report_links_resolve(server: str) -> None:
    r = httpx.get(f"{server}/reports/harmonization", params=[("j", j) for j in PARTIES] + [("as_of", "2026-11-24")])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    root = ET.fromstring(r.text.removeprefix("<!DOCTYPE html>"))
    assert root.find(f".//{XHTML}form") is not None  # the web comparison page has the form
    hrefs = {a.get("href") or "" for a in root.iter(f"{XHTML}a")}
    local = sorted(h for h in hrefs if h.startswith("/"))
    assert any(h.startswith("/id/eu-ai-act/") for h in local) and any(h.startswith("/concept/") for h in local)
    with httpx.Client(base_url=server, timeout=30) as client:
        broken = [h for h in local if client.get(h).status_code != 200]
    assert broken == []
    # links inside the page (a concept's provisions, a caveat, a provision's text) land on an element
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    inside = {h for h in hrefs if h.startswith("#")}
    assert inside and {h[1:] for h in inside} <= ids
    external = hrefs - set(local) - inside
    assert external and all(h.startswith(("https://", "http://")) for h in external)


def test_served_formats(server: str) -> None:
    query = [("j", j) for j in PARTIES] + [("as_of", "2026-11-24")]
    js = httpx.get(f"{server}/reports/harmonization", params=[*query, ("format", "json")], timeout=60)
    assert js.headers["content-type"] == "application/json"
    assert list(_validator().iter_errors(js.json())) == []
    md = httpx.get(f"{server}/reports/harmonization", params=query, headers={"accept": "text/markdown"}, timeout=60)
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# Harmonization report")
    pdf = httpx.get(f"{server}/reports/harmonization", params=[*query, ("format", "pdf")], timeout=120)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="crosswalk-EU-US-CO-KR-2026-11-24.pdf"' in pdf.headers["content-disposition"]


def test_served_schema_is_the_shipped_one(server: str) -> None:
    r = httpx.get(f"{server}/reports/harmonization/schema")
    assert r.headers["content-type"] == "application/schema+json" and r.json() == SCHEMA


def test_served_comparison_page_without_parties_is_the_form(server: str) -> None:
    r = httpx.get(f"{server}/reports/harmonization")
    assert r.status_code == 200
    root = ET.fromstring(r.text.removeprefix("<!DOCTYPE html>"))
    boxes = {i.get("value") for i in root.iter(f"{XHTML}input") if i.get("name") == "j"}
    assert {"EU", "US-CO", "KR", "CN"} <= boxes


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ([("j", "EU"), ("j", "XX"), ("format", "json")], "unknown jurisdiction 'XX'"),
        ([("j", "EU"), ("format", "json")], "at least two"),
        ([("j", "EU"), ("j", "KR"), ("as_of", "2026-02-30")], "as_of"),
        ([("j", "EU"), ("j", "KR"), ("format", "docx")], "format"),
    ],
)
def test_served_bad_requests_are_400(server: str, params: list[tuple[str, str]], detail: str) -> None:
    r = httpx.get(f"{server}/reports/harmonization", params=params)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert detail in r.json()["detail"]


def test_served_html_error_keeps_the_form(server: str) -> None:
    r = httpx.get(f"{server}/reports/harmonization", params={"j": "EU"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "at least two" in r.text and "<form" in r.text


def test_new_eu_ban_is_pending_in_november_and_law_in_december(corpus: Store, report: dict[str, Any]) -> None:
    # Regulation (EU) 2026/1744 inserted Art. 5(1)(ba)-(bb) (AI "nudification" and AI-generated
    # child sexual abuse material), applying from 2 December 2026. On 24 November it is pending,
    # so the EU lacks what the US TAKE IT DOWN Act (inherited by Colorado) already prohibits ...
    eu_pending = next(e for e in report["pending"] if e["party"] == "EU")["provisions"]
    assert {report["provisions"][i]["citation"] for i in eu_pending} >= {"Art. 5(1)(ba)", "Art. 5(1)(bb)"}
    gaps = next(g for g in report["gaps"] if g["party"] == "EU" and g["to_match"] == "US-CO")["gaps"]
    assert "SexualAbuseContentGeneration" in {f["concept"] for f in gaps}
    # ... and in mid-December both regulate it: no gap any more
    december = build_report(corpus, ["EU", "US-CO"], date(2026, 12, 15), ["prohibited-practices"])
    gaps = next(g for g in december["gaps"] if g["party"] == "EU")["gaps"]
    assert "SexualAbuseContentGeneration" not in {f["concept"] for f in gaps}
    rows = {r["concept"]: r for s in december["sections"] for r in s["rows"]}
    assert rows["SexualAbuseContentGeneration"]["provisions"]["EU"]


def test_every_pair_of_jurisdictions_gives_a_valid_report(corpus: Store) -> None:
    # Regimes of every kind meet here: bills, soft law, treaties not in force, states and cities.
    from itertools import combinations

    from crosswalk.graph.vocabulary import vocabulary

    validator = _validator()
    codes = sorted(vocabulary().jurisdictions.members)
    for a, b in combinations(codes, 2):
        data = json.loads(render(build_report(corpus, [a, b], AT, generated_on=AT), "json"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], (a, b, errors[:2])
        assert {p["code"] for p in data["parties"]} == {a, b}


def test_each_format_prints_its_own_regenerate_command(report: dict[str, Any]) -> None:
    from crosswalk.api.report_render import render

    codes = " ".join(p["code"] for p in report["parties"])
    html = render(report, "html").decode()
    md = render(report, "md").decode()
    assert f"crosswalk report {codes} --as-of {report['as_of']}" in html and "--format html</code>" in html
    assert "--format md`" in md and "--format html" not in md
    from crosswalk.api.report_render import render_html

    assert "--format pdf -o report.pdf" in render_html(report, fmt="pdf")


# ------------------------------------------------------------------ what changes between two dates
def test_report_says_what_changes_the_same_as_diff(corpus: Store, cli: Any, corpus_dir: Path) -> None:
    """`--changes-to`: the report carries, per pair, what `crosswalk diff` says for that pair,
    in every format, and its regenerate command asks for it again."""
    from crosswalk.queries.diff import diff

    start, end = date(2026, 12, 2), date(2027, 12, 3)
    r = build_report(corpus, ["EU", "US-CO", "KR"], start, changes_to=end, generated_on=start)
    assert r["changes"]["from"] == "2026-12-02" and r["changes"]["to"] == "2027-12-03"
    assert {(p["a"], p["b"]) for p in r["changes"]["pairs"]} == {(s["a"], s["b"]) for s in r["summary"]["pairs"]}
    for pair in r["changes"]["pairs"]:
        assert pair["changes"] == diff(corpus, pair["a"], pair["b"], start, end).to_dict()["changes"]
    eu_co = next(p for p in r["changes"]["pairs"] if (p["a"], p["b"]) == ("EU", "US-CO"))
    # the EU's Art. 9 starts applying to Annex III systems on 2 Dec 2027 (Reg. (EU) 2026/1744)
    risk = next(c for c in eu_co["changes"] if c["concept"] == "RiskManagementSystem")
    assert any("Art. 9(1)-(2) applies from 2027-12-02" in e for e in risk["events"])
    assert list(_validator().iter_errors(json.loads(render(r, "json")))) == []

    md = render_markdown(r)
    assert "### What changes between 2026-12-02 and 2027-12-03" in md and "**EU\u2013US-CO**" in md
    assert "--changes-to 2027-12-03" in md
    root = ET.fromstring(render_html(r).removeprefix("<!DOCTYPE html>"))
    captions = {"".join(c.itertext()) for c in root.iter(f"{XHTML}caption")}
    assert "EU\u2013US-CO" in captions  # an en dash
    rows = [
        ["".join(cell.itertext()).strip() for cell in tr]
        for t in root.iter(f"{XHTML}table")
        if t.get("class") == "changes"
        for tr in t.iter(f"{XHTML}tr")
    ]
    assert any(row[0] == risk["concept_label"] and "2027-12-02" in row[3] for row in rows)
    # without --changes-to there is no such section
    plain = build_report(corpus, ["EU", "US-CO"], start, generated_on=start)
    assert plain["changes"] is None and "What changes between" not in render_markdown(plain)

    out = cli("report", "EU", "US-CO", "--as-of", "2026-12-02", "--changes-to", "2027-12-03", "-f", "md",
              "--store", str(corpus_dir))  # fmt: skip
    assert out.code == 0 and "What changes between 2026-12-02 and 2027-12-03" in out.out
    bad = cli("report", "EU", "US-CO", "--as-of", "2026-12-02", "--changes-to", "2026-01-01", "--store", "memory:")
    assert bad.code == 2 and "must be after" in bad.err


def test_served_report_with_changes(server: str) -> None:
    query = [("j", "EU"), ("j", "US-CO"), ("as_of", "2026-12-02"), ("changes_to", "2027-12-03")]
    js = httpx.get(f"{server}/reports/harmonization", params=[*query, ("format", "json")], timeout=60)
    assert js.status_code == 200 and js.json()["changes"]["to"] == "2027-12-03"
    page = httpx.get(f"{server}/reports/harmonization", params=query, timeout=60)
    assert page.status_code == 200 and 'id="changes"' in page.text
    assert 'name="changes_to" value="2027-12-03"' in page.text  # the form keeps the date
    blank = httpx.get(f"{server}/reports/harmonization", params=[*query[:3], ("changes_to", "")], timeout=60)
    assert blank.status_code == 200 and 'id="changes"' not in blank.text  # the form's empty box: none asked
    bad = httpx.get(f"{server}/reports/harmonization", params=[*query[:3], ("changes_to", "soon"), ("format", "json")])
    assert bad.status_code == 400 and "changes_to" in bad.json()["detail"]
