/* riskreg: site behaviour. Plain ES5, no inline code, no eval (our CSP has
   script-src 'self'). Load with `defer`, after htmx.min.js and (on chart
   pages) plotly-strict.min.js; see frontend/README.md. */
(function () {
  "use strict";

  /* (a) htmx hardening. The <meta name="htmx-config"> tag in base.html sets
     the same values; this is the fallback for pages without it. htmx merges
     the meta tag and inserts its indicator styles on DOMContentLoaded, so a
     deferred script that runs before that is in time. */
  if (window.htmx && window.htmx.config) {
    var c = window.htmx.config;
    c.allowEval = false;
    c.includeIndicatorStyles = false;
    c.selfRequestsOnly = true;
    c.historyCacheSize = 0;
    c.allowScriptTags = false;
  }

  /* (c) Plotly charts. The spec is {"data": [...], "layout": {...}}.
     Full pages: the JSON sits in a <script type="application/json">:
       <div class="rr-chart" data-plotly-chart data-chart-src="chart-1"></div>
       {{ chart|json_script:"chart-1" }}
     htmx fragments: htmx (allowScriptTags=false) strips every <script> from
     swapped-in HTML, JSON ones included, so put the JSON in an attribute
     instead (Django's autoescaping makes that safe):
       <div class="rr-chart" data-plotly-chart data-chart-json="{{ chart_json }}"></div> */
  // No "send to cloud" or "edit in Chart Studio": register data never leaves the site.
  var PLOT_CONFIG = { displaylogo: false, responsive: true, showSendToCloud: false, showEditInChartStudio: false };

  function chartsIn(scope) {
    var found = [];
    if (scope.matches && scope.matches("[data-plotly-chart]")) {
      found.push(scope);
    }
    var list = scope.querySelectorAll ? scope.querySelectorAll("[data-plotly-chart]") : [];
    for (var i = 0; i < list.length; i++) {
      found.push(list[i]);
    }
    return found;
  }

  function renderChart(el) {
    if (el.getAttribute("data-plotly-rendered") === "true") {
      return;
    }
    var json = el.getAttribute("data-chart-json");
    var srcId = el.getAttribute("data-chart-src");
    if (json === null) {
      var src = srcId ? document.getElementById(srcId) : null;
      if (!src || src.tagName !== "SCRIPT" || src.type !== "application/json") {
        if (window.console) { window.console.error("riskreg: no JSON script #" + srcId + " for chart", el); }
        return;
      }
      json = src.textContent;
    }
    var spec;
    try {
      spec = JSON.parse(json);
    } catch (e) {
      if (window.console) { window.console.error("riskreg: bad chart JSON for chart", el, e); }
      return;
    }
    el.setAttribute("data-plotly-rendered", "true");
    window.Plotly.newPlot(el, spec.data || [], spec.layout || {}, PLOT_CONFIG);
  }

  function renderCharts(scope) {
    if (!window.Plotly) {
      return;
    }
    var charts = chartsIn(scope || document);
    for (var i = 0; i < charts.length; i++) {
      renderChart(charts[i]);
    }
  }

  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  /* (d) Stacked tables (.rr-table--stack, see riskreg.css): on a narrow screen each cell
     shows its column's name from data-label. Templates may write it; where they do not, it is
     copied here from the column headers, leaving out visually hidden words ("Actions"). */
  function headerLabel(th) {
    var copy = th.cloneNode(true);
    var hidden = copy.querySelectorAll(".govuk-visually-hidden");
    for (var i = 0; i < hidden.length; i++) {
      hidden[i].parentNode.removeChild(hidden[i]);
    }
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function labelStackedTables(scope) {
    var selector = "table.rr-table--stack";
    var tables = scope.matches && scope.matches(selector) ? [scope]
      : (scope.querySelectorAll ? scope : document).querySelectorAll(selector);
    for (var t = 0; t < tables.length; t++) {
      var heads = tables[t].querySelectorAll("thead tr:last-child > th");
      var labels = [];
      for (var h = 0; h < heads.length; h++) {
        for (var span = heads[h].colSpan || 1; span > 0; span--) {
          labels.push(headerLabel(heads[h]));
        }
      }
      var rows = tables[t].querySelectorAll("tbody > tr");
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].children.length; c++) {
          var cell = rows[r].children[c];
          // A row's own header (th) heads its block: it needs no name of its column.
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label") &&
              (cell.colSpan || 1) === 1 && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        }
      }
    }
  }

  onReady(function () {
    renderCharts(document);
    labelStackedTables(document);
  });

  /* Re-render after htmx swaps in new content. afterSwap fires on each new
     element; oobAfterSwap on out-of-band ones; historyRestore on back/forward. */
  function afterSwap(evt) {
    var t = evt.target;
    var scope = t && t.isConnected !== false ? t : document;
    renderCharts(scope);
    labelStackedTables(scope.closest ? (scope.closest("table") || scope) : scope);
  }
  document.addEventListener("htmx:afterSwap", afterSwap);
  document.addEventListener("htmx:oobAfterSwap", afterSwap);
  document.addEventListener("htmx:historyRestore", function () {
    renderCharts(document);
  });

  /* (d) Content revealed by several choices of one set of radios: GOV.UK
     Frontend reveals conditional content under a single choice, but "Why is
     progress not on track?" belongs to three. The block
       <div class="govuk-radios__conditional" data-rr-reveal-for="progress"
            data-rr-reveal-unless="on_track">
     is shown while a choice other than "unless" is chosen. Without JavaScript
     it is always shown, and the server ignores it for the other choice. */
  function syncReveal(block) {
    var form = block.closest("form");
    var name = block.getAttribute("data-rr-reveal-for");
    var unless = block.getAttribute("data-rr-reveal-unless");
    if (!form || !name) {
      return;
    }
    var inputs = form.querySelectorAll("input[type=radio][name='" + name + "']");
    var shown = false;
    // No aria-controls on the radios: GOV.UK Frontend's own radios would then sync the block
    // to each of them in turn (the last wins) and add aria-expanded, which a radio may not
    // carry. The block follows the radios, so it is read next.
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked && inputs[i].value !== unless) {
        shown = true;
      }
    }
    block.classList.toggle("govuk-radios__conditional--hidden", !shown);
  }

  function initReveals(scope) {
    var blocks = (scope || document).querySelectorAll("[data-rr-reveal-for]");
    for (var i = 0; i < blocks.length; i++) {
      syncReveal(blocks[i]);
    }
  }

  onReady(function () {
    initReveals(document);
  });
  document.addEventListener("change", function (evt) {
    var t = evt.target;
    if (!t || t.type !== "radio" || !t.form) {
      return;
    }
    var blocks = t.form.querySelectorAll("[data-rr-reveal-for='" + t.name + "']");
    for (var i = 0; i < blocks.length; i++) {
      syncReveal(blocks[i]);
    }
  });

  /* Free plotly's listeners (resize etc.) when htmx removes a chart. */
  document.addEventListener("htmx:beforeCleanupElement", function (evt) {
    var el = evt.target;
    if (window.Plotly && el && el.getAttribute && el.getAttribute("data-plotly-rendered") === "true") {
      window.Plotly.purge(el);
      el.removeAttribute("data-plotly-rendered");
    }
  });
})();
