"""The report's two pictures as standalone SVG: the heat map (party × concept group) and the
pairwise interoperability-index matrix. Plain SVG 1.1 with a <title>/<desc> pair, so browsers,
WeasyPrint and screen readers all read it; the report prints a text table beside each one.

>>> svg = index_matrix(["EU", "KR"], {("EU", "KR"): 0.25}, {("EU", "KR"): 0})
>>> svg.startswith("<svg") and "25%" in svg
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

CELL_W, CELL_H, LABEL_W, GROUP_W = 58, 26, 70, 270

# ColorBrewer RdYlGn (colour-blind safer at five classes), light to dark; text stays readable
SCALE = ("#b2182b", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641")
NO_DATA = "#e8e8e8"


def colour(score: float | None) -> str:
    if score is None:
        return NO_DATA
    return SCALE[min(int(score * len(SCALE)), len(SCALE) - 1)]


def _ink(fill: str) -> str:
    """White on the two dark ends of the scale, near-black elsewhere (contrast ≥ 4.5:1)."""
    return "#ffffff" if fill in (SCALE[0], SCALE[-1]) else "#1b1b1b"


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _frame(width: float, height: float, ident: str, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _cell(x: float, y: float, fill: str, tip: str, label: str, mark: str = "") -> list[str]:
    out = [
        f'<g><title>{escape(tip)}</title><rect x="{x:.1f}" y="{y:.1f}" width="{CELL_W - 2}" '
        f'height="{CELL_H - 2}" fill="{fill}" stroke="#ffffff"/>',
        _text(x + (CELL_W - 2) / 2, y + CELL_H / 2 + 3, label, text_anchor="middle", fill=_ink(fill)),
    ]
    if mark:
        out.append(_text(x + CELL_W - 6, y + 11, mark, text_anchor="end", font_weight="bold", fill="#7a0000"))
    out.append("</g>")
    return out


def _column_heads(left: float, labels: Sequence[str]) -> list[str]:
    """Bold labels centred over the columns of cells that start at x = `left`."""
    return [
        _text(left + CELL_W * i + CELL_W / 2, 22, label, text_anchor="middle", font_weight="bold")
        for i, label in enumerate(labels)
    ]


def heatmap(parties: Sequence[str], groups: Sequence[Mapping[str, str]], cells: Sequence[Mapping[str, Any]]) -> str:
    """Rows are concept groups, columns parties; a cell's colour is the party's agreement score
    with everyone else in that group (see docs/reports.md), "!n" marks n conflicts."""
    by = {(c["party"], c["group"]): c for c in cells}
    width = GROUP_W + CELL_W * len(parties) + 10
    height = 30 + CELL_H * len(groups) + 10
    body = _column_heads(GROUP_W, parties)
    for r, g in enumerate(groups):
        y = 30 + CELL_H * r
        body.append(_text(GROUP_W - 6, y + CELL_H / 2 + 3, g["label"][:44], text_anchor="end"))
        for i, party in enumerate(parties):
            c = by[(party, g["key"])]
            score = c["score"]
            shown = "–" if score is None else f"{round(score * 100)}%"
            tip = (
                f"{party}, {g['label']}: {c['equivalent']} equivalent, {c['aligned']} aligned, "
                f"{c['divergent']} divergent, "
                f"{c['conflict']} conflicts, lacks {c['lacks']}, alone on {c['only_here']}, "
                f"{c['not_curated']} not curated"
            )
            mark = f"!{c['conflict']}" if c["conflict"] else ""
            body += _cell(GROUP_W + CELL_W * i, y, colour(score), tip, shown, mark)
    desc = "Agreement score of each party with the other parties, per concept group; grey: nothing regulated."
    return _frame(width, height, "heat", "Heat map: concept groups by party", desc, body)


def index_matrix(
    parties: Sequence[str], index: Mapping[tuple[str, str], float], conflicts: Mapping[tuple[str, str], int]
) -> str:
    """The pairwise interoperability index, symmetric, with conflict counts marked."""
    width = LABEL_W + CELL_W * len(parties) + 10
    height = 30 + CELL_H * len(parties) + 10
    body = _column_heads(LABEL_W, parties)
    for r, a in enumerate(parties):
        y = 30 + CELL_H * r
        body.append(_text(LABEL_W - 6, y + CELL_H / 2 + 3, a, text_anchor="end", font_weight="bold"))
        for i, b in enumerate(parties):
            x = LABEL_W + CELL_W * i
            if a == b:
                body += _cell(x, y, NO_DATA, f"{a} with itself", "—")
                continue
            key = (a, b) if (a, b) in index else (b, a)
            value, n = index[key], conflicts.get(key, 0)
            tip = f"{a}–{b}: index {value:.2f}, {n} conflicts"
            body += _cell(x, y, colour(value), tip, f"{round(value * 100)}%", f"!{n}" if n else "")
    desc = (
        "Interoperability index of each pair of parties: equivalent and aligned concepts plus half the divergent ones, "
        "over the concepts either regulates."
    )
    return _frame(width, height, "index", "Pairwise interoperability index", desc, body)


__all__ = ["colour", "heatmap", "index_matrix"]
