// The SPARQL editor page (api/editor.py): YASGUI pointed at /sparql, with the cookbook's recipes.
// A file, not an inline script, so the page runs under the Content-Security-Policy script-src 'self'.
const config = JSON.parse(document.getElementById("editor-config").textContent);
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: "/sparql", method: "POST" },
  copyEndpointOnNewTab: false,
  endpointCatalogueOptions: { getData: () => [{ endpoint: "/sparql" }] },
  yasqe: { value: config.start },
});
document.getElementById("examples").addEventListener("change", (e) => {
  if (e.target.value) yasgui.getTab().setQuery(config.examples[e.target.value]);
});
