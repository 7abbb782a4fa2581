// The negotiator's workbench on the start page: parties and a date, then a heat map of the pairs,
// then a pair's findings, then a finding's provisions. Plain ES module, no build step: it reads the
// JSON API (/compare, /diff) and shows what it returns. It decides nothing: every verdict, reason and
// count comes from the server's comparison, so the page can never say what `crosswalk compare` would not.

const config = JSON.parse(document.getElementById("config").textContent);

// The report's colour scale (api/report_svg.py): ColorBrewer RdYlGn, five classes.
const SCALE = ["#b2182b", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"];
const DARK = new Set([SCALE[0], SCALE[4]]);

// Sections of the pair view, in the order a negotiator reads them, with what each kind means.
const KINDS = [
  ["conflict", "Conflicts", "the same actor, act and market cannot satisfy both"],
  ["tension", "Tensions", "opposed rules that do not meet in one market"],
  ["divergent", "Divergent", "both regulate the concept, differently"],
  ["equivalent", "Equivalent", "both regulate the concept alike"],
  ["aligned", "Aligned at principle level", "both state the same principle or recommendation; not the same obligation"],
  ["parallel", "Parallel", "both provide for this institution or policy; not compared rule by rule"],
  ["shared", "Shared law", "both are bound by the same provisions"],
  ["gap", "Gaps", "one has law in force, the other has declared coverage and none"],
  ["general-law", "General law applies", "no AI-specific rule on one side; its general law reaches the concept"],
  ["pending", "Pending", "adopted, applies later"],
  ["not-curated", "Not curated", "one side's law on this is not curated: no claim either way"],
];
const KIND_LABEL = Object.fromEntries(KINDS.map(([k, label]) => [k, label]));

// ---------------------------------------------------------------- small DOM helpers (no innerHTML: data is text)
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const percent = (x) => `${Math.round(x * 100)}%`;
const colour = (x) => SCALE[Math.min(Math.floor(x * SCALE.length), SCALE.length - 1)];
const localLink = (iri) => (iri.startsWith(config.base) ? "/" + iri.slice(config.base.length) : iri);
const site = (url) => {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
};

// ---------------------------------------------------------------- state in the URL: every view is a permalink
const state = { parties: [], asOf: config.today, pair: null, run: 0 };

function readUrl() {
  const q = new URLSearchParams(location.search);
  state.parties = [...new Set(q.getAll("j"))];
  state.asOf = q.get("as_of") || config.today;
  const pair = (q.get("pair") || "").split(",").filter(Boolean);
  state.pair = pair.length === 2 && pair.every((p) => state.parties.includes(p)) ? pair : null;
}

function writeUrl() {
  const q = new URLSearchParams();
  state.parties.forEach((p) => q.append("j", p));
  q.set("as_of", state.asOf);
  if (state.pair) q.set("pair", state.pair.join(","));
  history.replaceState(null, "", `${location.pathname}?${q}`);
}

function status(text, error = false) {
  const el = document.getElementById("status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

const responses = new Map(); // URL -> promise of JSON: a date seen once replays without a request
async function getJson(url) {
  if (!responses.has(url)) {
    const p = fetch(url, { headers: { accept: "application/json" } }).then(async (r) => {
      const body = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(body.detail || body.title || `${r.status} ${r.statusText}`);
      return body;
    });
    p.catch(() => responses.delete(url)); // a failure is not remembered
    responses.set(url, p);
  }
  return responses.get(url);
}

const compareUrl = (a, b, asOf) => `/compare?${new URLSearchParams([["j", a], ["j", b], ["as_of", asOf]])}`;

// Fetch every pair, a few at a time (the server bounds its own work; the page need not flood it).
async function eachPair(pairs, asOf, onResult) {
  const queue = [...pairs];
  const worker = async () => {
    while (queue.length) {
      const [a, b] = queue.shift();
      try {
        onResult(a, b, await getJson(compareUrl(a, b, asOf)), null);
      } catch (e) {
        onResult(a, b, null, e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, pairs.length) }, worker));
}

// ---------------------------------------------------------------- the matrix
// The cell's colour and number: agreement over the concepts the curated law of both parties lets us
// compare. The interoperability index (docs/analysis.md) divides by every concept either party
// regulates, "not curated" ones included, so a party whose law is little curated looks red beside
// everyone; here not-curated concepts stand apart, counted, and so do concepts where one side has
// only general law (the verdict rules judge no AI-specific rule against it); a pair with nothing to
// compare is hatched grey. Same verdicts, same weights as the index (equivalent or aligned 1, divergent 1/2,
// others 0; shared law and institutional concepts left out); tests/test_workbench.py holds them together.
const COMPARED = new Set(["equivalent", "aligned", "divergent", "conflict", "tension", "gap"]);

function tally(c) {
  const concepts = (kinds) =>
    new Set(c.findings.filter((f) => !f.institutional && kinds.has(f.kind)).map((f) => f.concept));
  const compared = concepts(COMPARED);
  const of = (kind) => [...concepts(new Set([kind]))].filter((x) => compared.has(x)).length;
  const apart = (kind) => [...concepts(new Set([kind]))].filter((x) => !compared.has(x)).length;
  const n = { compared: compared.size, notCurated: apart("not-curated"), generalLaw: apart("general-law"),
    equivalent: of("equivalent"), aligned: of("aligned"), divergent: of("divergent"), gap: of("gap"),
    conflict: of("conflict"), tension: of("tension") };
  n.agreement = n.compared ? (n.equivalent + n.aligned + 0.5 * n.divergent) / n.compared : null;
  return n;
}

// the kinds behind the number, only those present: "9 diverg. · 6 gen. law"
const CELL_KINDS = [
  ["equivalent", "equiv.", "equiv."],
  ["aligned", "aligned", "aligned"],
  ["divergent", "diverg.", "diverg."],
  ["gap", "gap", "gaps"],
  ["tension", "tension", "tensions"],
];

function cellContent(n) {
  const kinds = CELL_KINDS.filter(([k]) => n[k]).map(([k, one, many]) => `${n[k]} ${n[k] === 1 ? one : many}`);
  const lines = [
    h("span", { class: "index" }, n.agreement === null ? "n/a" : percent(n.agreement)),
    h("span", { class: "counts" }, `${n.compared} compared`),
    kinds.length ? h("span", { class: "counts" }, kinds.join(" · ")) : null,
    h("span", { class: "counts" }, `${n.notCurated} not curated${n.generalLaw ? ` · ${n.generalLaw} gen. law` : ""}`),
  ];
  if (n.conflict) lines.splice(3, 0, h("span", { class: "conflicts" }, `${n.conflict} conflict${n.conflict > 1 ? "s" : ""}`));
  return lines;
}

function cellTitle(a, b, c, n) {
  return (
    `${a}–${b}: agreement ${n.agreement === null ? "n/a" : percent(n.agreement)} over ${n.compared} concepts both ` +
    `parties' curated law lets us compare (${n.equivalent} equivalent, ${n.aligned} aligned at principle level, ` +
    `${n.divergent} divergent, ${n.gap} gaps, ` +
    `${n.conflict} conflicts, ${n.tension} tensions); apart: ${n.notCurated} not curated, ${n.generalLaw} where ` +
    `one side has only general law. Interoperability index ${percent(c.index)} over all ${c.concepts_regulated} ` +
    `concepts either regulates.`
  );
}

function drawLegend() {
  const legend = document.getElementById("legend");
  const bins = SCALE.map((fill, i) =>
    h(
      "span",
      { class: "key" },
      h("span", { class: "swatch", style: `background:${fill}` }),
      `${(i * 100) / SCALE.length}–${((i + 1) * 100) / SCALE.length}%`,
    ),
  );
  legend.replaceChildren(
    h("span", { class: "legend-title" }, "Agreement where both are curated:"),
    ...bins,
    h("span", { class: "key" }, h("span", { class: "swatch nodata" }), "nothing to compare: not curated"),
    h("span", { class: "key" }, h("span", { class: "swatch pending" }), "loading"),
  );
}

async function showMatrix() {
  const run = ++state.run;
  const parties = state.parties;
  const section = document.getElementById("matrix");
  if (parties.length < 2) {
    section.hidden = true;
    document.getElementById("pair").hidden = true;
    status(parties.length ? "Pick at least two parties." : "");
    return;
  }
  if (parties.length > config.max_parties) {
    status(`At most ${config.max_parties} parties at once (${parties.length} picked).`, true);
    return;
  }
  section.hidden = false;
  document.getElementById("matrix-title").textContent = `Interoperability of each pair at ${state.asOf}`;
  const table = document.getElementById("heat");
  const cells = new Map();
  const head = h("tr", {}, h("th", { scope: "col" }, h("span", { class: "sr" }, "party")));
  parties.forEach((p) => head.append(h("th", { scope: "col", title: config.labels[p] || p }, p)));
  const rows = parties.map((a) =>
    h(
      "tr",
      {},
      h("th", { scope: "row", title: config.labels[a] || a }, a),
      parties.map((b) => {
        if (a === b) return h("td", { class: "self", "aria-label": `${a} with itself` }, "—");
        const td = h("td", { class: "cell pending", dataset: { a, b } }, "…");
        cells.set(`${a} ${b}`, td);
        return td;
      }),
    ),
  );
  table.replaceChildren(h("caption", { class: "sr" }, "Pairwise interoperability"), h("thead", {}, head), h("tbody", {}, rows));
  drawLegend();
  status(`Comparing ${(parties.length * (parties.length - 1)) / 2} pairs at ${state.asOf}…`);
  const pairs = [];
  parties.forEach((a, i) => parties.slice(i + 1).forEach((b) => pairs.push([a, b])));
  let failed = 0;
  await eachPair(pairs, state.asOf, (a, b, c, error) => {
    if (run !== state.run) return; // a newer date or set of parties took over
    for (const [x, y] of [[a, b], [b, a]]) {
      const td = cells.get(`${x} ${y}`);
      td.classList.remove("pending");
      if (error) {
        failed += 1;
        td.replaceChildren(h("span", { class: "counts" }, "error"));
        td.title = error.message;
        continue;
      }
      const n = tally(c);
      const has = n.agreement !== null;
      const fill = has ? colour(n.agreement) : null;
      const button = h(
        "button",
        {
          type: "button",
          class: `open-pair${DARK.has(fill) ? " dark" : ""}`,
          title: cellTitle(x, y, c, n),
          "aria-label": cellTitle(x, y, c, n),
          dataset: { agreement: n.agreement ?? "", compared: n.compared, notCurated: n.notCurated },
          onclick: () => openPair(x, y),
        },
        cellContent(n),
      );
      td.className = has ? "cell" : "cell nodata";
      if (fill) td.style.background = fill;
      td.replaceChildren(button);
    }
  });
  if (run !== state.run) return;
  status(failed ? "Some pairs could not be compared; hover a cell for why." : `${pairs.length} pairs at ${state.asOf}.`, !!failed);
  if (state.pair) await openPair(...state.pair, false);
}

// ---------------------------------------------------------------- a pair and its findings
function verdict(f, c) {
  const side = (s) => (s === "a" ? c.a : s === "b" ? c.b : null);
  switch (f.kind) {
    case "divergent":
      if (f.stricter === "mixed") return "divergent: each side stricter somewhere";
      const note = f.stricter_note ? ` (${f.stricter_note})` : "";
      return f.stricter ? `divergent: ${f.stricter} stricter${note}` : "divergent: no side measurably stricter";
    case "gap":
      return `gap: nothing in force in ${side(f.missing_side)}`;
    case "general-law":
      return `no AI-specific rule in ${side(f.missing_side)}; general law applies`;
    case "not-curated":
      return `not curated for ${side(f.missing_side)}`;
    case "pending":
      return "pending: adopted, applies later";
    default:
      return f.kind;
  }
}

function caveatBlock(cv) {
  const span = cv.until ? `${cv.from} to ${cv.until}` : `since ${cv.from}`;
  return h(
    "li",
    { class: "caveat" },
    h("strong", {}, `${cv.kind.replace(/-/g, " ")} (${span}): `),
    cv.summary,
    " ",
    h("span", { class: "by" }, `By ${cv.by}.`),
    " ",
    cv.source ? h("a", { href: cv.source, rel: "noopener", target: "_blank" }, `source (${site(cv.source)})`) : null,
  );
}

function provisionCard(p, party) {
  const inherited = p.jurisdiction && p.jurisdiction !== party;
  const facts = [
    p.modality,
    p.binding ? "binding" : "not binding",
    p.applies_from ? `applies from ${p.applies_from}` : "application date not recorded",
    p.pending ? `pending: ${p.pending}` : null,
    inherited ? `${p.jurisdiction} law, binds ${party}` : null,
    p.bearers && p.bearers.length ? `binds ${p.bearers.join(", ")}` : null,
  ].filter(Boolean);
  const prov = p.provenance || {};
  return h(
    "article",
    { class: "provision" },
    h("h5", {}, h("a", { href: localLink(p.provision) }, p.name || `${p.instrument_title} ${p.citation}`)),
    h("p", { class: "facts" }, facts.join(" · ")),
    h("p", { class: "summary" }, p.summary),
    (p.parameters || []).length
      ? h("p", { class: "figures" }, "Figures: ", p.parameters.map((x) => `${x.kind} ${x.value} ${x.unit}`).join("; "))
      : null,
    (p.caveats || []).length ? h("ul", { class: "caveats" }, p.caveats.map(caveatBlock)) : null,
    h(
      "p",
      { class: "trust" },
      prov.method ? `${prov.method.replace("-", " ")}, ${prov.review.replace("-", " ")}, ${prov.confidence} confidence` : "provenance not recorded",
      " · ",
      p.source ? h("a", { href: p.source, rel: "noopener", target: "_blank" }, `official source (${site(p.source)})`) : "no source",
    ),
  );
}

function sideColumn(title, provisions, party) {
  return h(
    "div",
    { class: "side" },
    h("h4", {}, title),
    provisions.length ? provisions.map((p) => provisionCard(p, party)) : h("p", { class: "none" }, "nothing in force"),
  );
}

function findingItem(f, c) {
  const extra = [];
  if ((f.pending || []).length) extra.push(["Adopted, applies later", f.pending]);
  if ((f.general_law || []).length) extra.push(["General law that reaches it", f.general_law]);
  if ((f.related || []).length) extra.push(["On a broader or narrower concept", f.related]);
  const lacking = f.missing_side === "a" ? c.a : f.missing_side === "b" ? c.b : null;
  const details = h(
    "details",
    { class: `finding ${f.kind}`, dataset: { concept: f.concept, kind: f.kind } },
    h(
      "summary",
      {},
      h("span", { class: "concept" }, f.concept_label),
      " ",
      h("span", { class: "verdict" }, verdict(f, c)),
      f.caveated ? h("span", { class: "flag" }, "caveat") : null,
    ),
  );
  // the provisions are drawn when the finding is opened: a pair can hold 100 findings
  details.addEventListener(
    "toggle",
    () => {
      if (!details.open || details.dataset.drawn) return;
      details.dataset.drawn = "1";
      details.append(
        h(
          "div",
          { class: "body" },
          (f.reasons || []).length ? h("ul", { class: "reasons" }, f.reasons.map((r) => h("li", {}, r))) : null,
          h("div", { class: "sides" }, sideColumn(c.a, f.a, c.a), sideColumn(c.b, f.b, c.b)),
          extra.map(([title, ps]) => h("div", { class: "extra" }, h("h4", {}, `${lacking || ""}: ${title}`), ps.map((p) => provisionCard(p, lacking)))),
          h("p", { class: "fid" }, "Finding ", h("code", {}, f.id)),
        ),
      );
    },
  );
  return details;
}

function trustLine(c) {
  return Object.entries(c.provenance || {}).map(([code, t]) =>
    h(
      "li",
      {},
      `${code}: ${t.provisions} provisions in force; ${t.official_text} read from the official text, ` +
        `${t.peer_reviewed} checked by a second reader, ${t.with_caveats} with a caveat`,
    ),
  );
}

async function openPair(a, b, scroll = true) {
  state.pair = [a, b];
  writeUrl();
  const section = document.getElementById("pair");
  section.hidden = false;
  section.replaceChildren(h("h2", { id: "pair-title" }, `${a} and ${b} at ${state.asOf}`), h("p", {}, "Loading…"));
  let c;
  try {
    c = await getJson(compareUrl(a, b, state.asOf));
  } catch (e) {
    section.replaceChildren(h("h2", { id: "pair-title" }, `${a} and ${b}`), h("p", { class: "error" }, e.message));
    return;
  }
  if (state.pair?.join() !== [a, b].join()) return;
  const findings = c.findings.map((f) => ({
    ...f,
    caveated: [...f.a, ...f.b].some((p) => (p.caveats || []).length),
  }));
  // institutional and policy concepts (authorities, strategy…) stand apart, as in the index and reports
  const groups = [
    ...KINDS.map(([kind, title, meaning]) => [kind, title, meaning, findings.filter((f) => f.kind === kind && !f.institutional)]),
    ["institutional", "Institutions and policy", "concepts about the state's own bodies and measures, outside the index",
      findings.filter((f) => f.institutional)],
  ].filter(([, , , fs]) => fs.length);
  const until = new Date(state.asOf);
  until.setFullYear(until.getFullYear() + 1);
  const untilInput = h("input", { type: "date", id: "until", value: until.toISOString().slice(0, 10) });
  const changes = h("div", { id: "changes" });
  section.replaceChildren(
    h("h2", { id: "pair-title" }, `${config.labels[c.a] || c.a} (${c.a}) and ${config.labels[c.b] || c.b} (${c.b}) at ${c.as_of}`),
    h(
      "p",
      { class: "index-line" },
      `Index ${percent(c.index)} over ${c.concepts_regulated} concepts either regulates; own law only (without inherited law) `,
      `${percent(c.own_index)} over ${c.own_concepts_regulated}.`,
    ),
    h("ul", { class: "trust-lines" }, trustLine(c)),
    h(
      "nav",
      { class: "kinds", "aria-label": "Findings by kind" },
      groups.map(([kind, title, , fs]) => h("a", { href: `#kind-${kind}` }, `${title} ${fs.length}`)),
    ),
    h(
      "form",
      {
        class: "diff",
        onsubmit: (e) => {
          e.preventDefault();
          showChanges(c.a, c.b, state.asOf, untilInput.value, changes);
        },
      },
      h("label", { for: "until" }, `What changes between ${state.asOf} and `),
      untilInput,
      h("button", { type: "submit" }, "Show changes"),
      changes,
    ),
    ...groups.map(([kind, title, meaning, fs]) =>
      h(
        "section",
        { class: "kind", id: `kind-${kind}` },
        h("h3", {}, `${title} (${fs.length})`, h("span", { class: "meaning" }, `: ${meaning}`)),
        fs.map((f) => findingItem(f, c)),
      ),
    ),
    h(
      "p",
      { class: "more" },
      h("a", { href: `/reports/harmonization?${new URLSearchParams([["j", c.a], ["j", c.b], ["as_of", c.as_of]])}` }, "The full report for this pair"),
      " · ",
      h("a", { href: compareUrl(c.a, c.b, c.as_of) }, "the comparison as JSON"),
    ),
  );
  status(`${c.a}–${c.b}: ${findings.length} findings at ${c.as_of}.`);
  if (scroll) section.scrollIntoView({ behavior: "instant", block: "start" });
}

async function showChanges(a, b, from, to, into) {
  into.replaceChildren(h("p", {}, "Comparing the two dates…"));
  let d;
  try {
    d = await getJson(`/diff?${new URLSearchParams([["j", a], ["j", b], ["from", from], ["to", to]])}`);
  } catch (e) {
    into.replaceChildren(h("p", { class: "error" }, e.message));
    return;
  }
  if (!d.changes.length) {
    into.replaceChildren(h("p", {}, `No verdict changes between ${d.from} and ${d.to}.`));
    return;
  }
  into.replaceChildren(
    h(
      "table",
      { class: "changes" },
      h("caption", {}, `${d.changes.length} verdicts change between ${d.from} and ${d.to}`),
      h("thead", {}, h("tr", {}, ["concept", `at ${d.from}`, `at ${d.to}`, "because"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        d.changes.map((ch) =>
          h(
            "tr",
            {},
            h("td", {}, ch.concept_label),
            h("td", {}, ch.before || "nothing on either side"),
            h("td", {}, ch.after || "nothing on either side"),
            h("td", {}, ch.events.length ? h("ul", {}, ch.events.map((e) => h("li", {}, e))) : "—"),
          ),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------- wiring
// the parties in the order they were picked: rows and columns follow the negotiator's order
const picked = [];

function fromForm() {
  const form = document.getElementById("pick");
  const checked = new Set([...form.querySelectorAll('input[name="j"]:checked')].map((i) => i.value));
  state.parties = [...picked.filter((p) => checked.has(p)), ...[...checked].filter((p) => !picked.includes(p))];
  state.asOf = form.elements.as_of.value || config.today;
  if (state.pair && !state.pair.every((p) => state.parties.includes(p))) state.pair = null;
}

function init() {
  readUrl();
  const form = document.getElementById("pick");
  picked.push(...state.parties);
  form.querySelectorAll('input[name="j"]').forEach((box) => {
    box.checked = state.parties.includes(box.value);
    box.addEventListener("change", () => {
      const at = picked.indexOf(box.value);
      if (at >= 0) picked.splice(at, 1);
      if (box.checked) picked.push(box.value);
    });
  });
  form.elements.as_of.value = state.asOf;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    fromForm();
    writeUrl();
    showMatrix();
  });
  // the date control replays the matrix and the open pair at the new date
  form.elements.as_of.addEventListener("change", () => {
    if (!form.elements.as_of.value || state.parties.length < 2) return;
    fromForm();
    writeUrl();
    showMatrix();
  });
  if (state.parties.length) showMatrix();
}

init();
