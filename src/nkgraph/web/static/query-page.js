// The query page: YASGUI on this service's endpoint, example buttons, download links.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("nkgraph-config").textContent);
  // Everything stays on this site: no endpoint catalogue, no prefix.cc or LOV look-ups.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasr.defaults.pluginOrder = ["table", "response"];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    persistenceId: null,
    yasqe: { value: config.firstQuery },
  });

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
  yasgui.on("query", updateDownloads);
  tab().getYasqe().on("change", updateDownloads);
  updateDownloads();
})();
