// The query page: YASGUI on this service's endpoint, example buttons, download links.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("nkgraph-config").textContent);
  // Everything stays on this site: no endpoint catalogue, no prefix.cc or LOV look-ups.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasr.defaults.pluginOrder = ["table", "response"];

  const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
  }

  // The dataset's own IRIs open this service's pages, not https://w3id.org/...
  function localPage(iri) {
    for (const [prefix, page] of config.localPages) {
      if (iri.startsWith(prefix) && iri.length > prefix.length) {
        return { href: page + iri.slice(prefix.length), name: iri.slice(prefix.length) };
      }
    }
    return null;
  }

  // Table cells as people read them: IRIs as links (to this service's pages where it has
  // one), literals as their plain value with the datatype or language as a tooltip.
  const Table = Yasgui.Yasr.plugins.table;
  Table.prototype.getCellContent = function (binding) {
    if (binding.type === "uri") {
      const local = localPage(binding.value);
      const text = local ? local.name : binding.value;
      const href = local ? local.href : binding.value;
      return "<div><a class='iri' href='" + escapeHtml(href) + "' title='" +
        escapeHtml(binding.value) + "'>" + escapeHtml(text) + "</a></div>";
    }
    const tooltip = binding.datatype || (binding["xml:lang"] ? "language: " + binding["xml:lang"] : "");
    const title = tooltip ? " title='" + escapeHtml(tooltip) + "'" : "";
    return "<div><span class='nonIri'" + title + ">" + escapeHtml(binding.value) + "</span></div>";
  };
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    persistenceId: null,
    autofocus: false,
    yasqe: { value: config.firstQuery },
  });

  // Names for the editor's controls that YASGUI leaves unnamed (WCAG 4.1.2), given as they
  // are drawn: the query text, the endpoint box, the result table's size and filter.
  const NAMES = [
    [".CodeMirror textarea", "SPARQL query"],
    ["input.autocomplete", "SPARQL endpoint"],
    ["select.tableSizer", "Rows per page"],
    ["input.tableFilter", "Filter the results"],
  ];
  function nameControls() {
    for (const [selector, name] of NAMES) {
      for (const element of document.querySelectorAll("#yasgui " + selector)) {
        if (!element.hasAttribute("aria-label")) element.setAttribute("aria-label", name);
      }
    }
    // The editor's scrolling area takes the keyboard focus, so a long query scrolls by keys.
    for (const scroller of document.querySelectorAll("#yasgui .CodeMirror-scroll[tabindex='-1']")) {
      scroller.setAttribute("tabindex", "0");
      scroller.setAttribute("aria-label", "SPARQL query, scrolling area");
    }
  }
  new MutationObserver(nameControls).observe(document.getElementById("yasgui"), {
    childList: true,
    subtree: true,
  });
  nameControls();

  function tab() {
    return yasgui.getTab();
  }

  function updateDownloads() {
    const query = tab().getYasqe().getValue();
    for (const link of document.querySelectorAll("a.download")) {
      const params = new URLSearchParams({ query: query, format: link.dataset.format });
      link.href = config.endpoint + "?" + params.toString();
    }
  }

  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", function () {
      tab().setQuery(button.dataset.query);
      tab().query();
    });
  }
  // Tab and Shift-Tab leave the editor, as everywhere else on the page (no keyboard trap,
  // WCAG 2.1.2); the editor indents new lines by itself.
  function freeTabKey(yasqe) {
    const keys = Object.assign({}, yasqe.getOption("extraKeys"), { Tab: false, "Shift-Tab": false });
    yasqe.setOption("extraKeys", keys);
  }
  freeTabKey(tab().getYasqe());
  yasgui.on("tabChange", () => freeTabKey(tab().getYasqe()));
  yasgui.on("query", updateDownloads);
  tab().getYasqe().on("change", updateDownloads);
  updateDownloads();
})();
