// peacezones report: draws the figures from the data embedded in the page, runs the map's
// place panel and filters the chronicle. Nothing is fetched.
(function () {
  // Plotly rejects, with no reason, the promise of an animation that a newer one
  // interrupts (Pause during Play): that is the button working, not an error
  window.addEventListener("unhandledrejection", function (event) {
    if (event.reason === undefined) { event.preventDefault(); }
  });
  "use strict";
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const CONFIG = { displaylogo: false, responsive: true };

  for (const [id, figure] of Object.entries(DATA.figures)) {
    const element = document.getElementById(id);
    if (element) Plotly.newPlot(element, figure.data, figure.layout, CONFIG);
  }

  const map = document.getElementById("map");
  if (map && DATA.map) {
    Plotly.newPlot(map, { data: DATA.map.data, layout: DATA.map.layout,
                          frames: DATA.map.frames, config: CONFIG }).then(function () {
      map.on("plotly_click", function (event) {
        const point = event.points[0];
        const id = point.customdata || (point.data && point.data.meta);
        if (id) showPlace(id);
      });
    });
  }

  function text(tag, content, className) {
    const element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }

  function showPlace(id) {
    const info = DATA.places.places[id];
    const panel = document.getElementById("place-panel");
    if (!info) return;
    panel.replaceChildren(
      text("h3", info.name),
      text("p", info.region + " · " + info.kind + " · " +
                info.population.toLocaleString("en") + " residents", "hint"),
    );
    const chart = document.createElement("div");
    chart.id = "place-chart";
    panel.appendChild(chart);
    drawPlace(chart, info);
    panel.appendChild(text("h3", "Events here"));
    const list = document.createElement("ul");
    const rows = document.querySelectorAll('#chronicle tbody tr[data-place="' + id + '"]');
    rows.forEach(function (row) {
      const cells = row.querySelectorAll("td");
      list.appendChild(text("li", cells[0].textContent + "  " + cells[1].textContent));
    });
    if (!rows.length) list.appendChild(text("li", "No notable event.", "hint"));
    panel.appendChild(list);
  }

  function drawPlace(element, info) {
    const dates = DATA.places.dates;
    const labels = DATA.places.labels;
    const unit = " (" + DATA.places.unit + ")";
    const traces = [
      { type: "bar", x: dates, y: info.series.deaths, name: labels.deaths + unit,
        marker: { color: "#c0392b" }, yaxis: "y" },
      { type: "scatter", mode: "lines", x: dates, y: info.series.governance,
        name: labels.governance, line: { color: "#1f77b4" }, yaxis: "y2" },
      { type: "scatter", mode: "lines", x: dates, y: info.series.police,
        name: labels.police, line: { color: "#555555", dash: "dot" }, yaxis: "y3" },
      { type: "bar", x: dates, y: dates.map(function () { return 1; }), name: "held by",
        marker: { color: info.colour }, yaxis: "y4", showlegend: false,
        hovertext: info.holder.map(function (h, k) { return h + (info.zone[k] ? ", peace zone" : ""); }),
        hoverinfo: "x+text" },
    ];
    const layout = {
      height: 300, margin: { l: 40, r: 40, t: 10, b: 30 }, bargap: 0, xaxis: { anchor: "y4" },
      showlegend: true, legend: { orientation: "h", y: -0.15, font: { size: 10 } },
      yaxis: { domain: [0.56, 1], title: { text: "deaths", font: { size: 10 } } },
      yaxis2: { domain: [0.16, 0.5], range: [0, 1], title: { text: "governance", font: { size: 10 } } },
      yaxis3: { overlaying: "y2", side: "right", rangemode: "tozero", showgrid: false },
      yaxis4: { domain: [0, 0.1], visible: false, range: [0, 1] },
    };
    Plotly.newPlot(element, traces, layout, CONFIG);
  }

  const table = document.getElementById("chronicle");
  if (table) {
    const controls = ["year", "place", "gang", "kind", "text"].map(function (name) {
      return document.getElementById("filter-" + name);
    });
    const years = controls[0];
    const rows = Array.from(table.tBodies[0].rows);
    const count = document.getElementById("chronicle-count");
    function filter() {
      const [year, place, gang, kind, words] = controls.map(function (c) { return c.value; });
      const needle = words.trim().toLowerCase();
      let shown = 0;
      rows.forEach(function (row) {
        const keep = (!year || row.dataset.year === year) &&
          (!place || row.dataset.place === place) &&
          (!gang || row.dataset.gangs.split(" ").includes(gang)) &&
          (!kind || row.dataset.kind === kind) &&
          (!needle || row.textContent.toLowerCase().includes(needle));
        row.classList.toggle("hidden", !keep);
        if (keep) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " entries shown";
    }
    // a long chronicle is read a year at a time: it opens at its first year
    if (table.hasAttribute("data-paged") && years.options.length > 1) years.selectedIndex = 1;
    function step(by) {
      const last = years.options.length - 1;
      const at = years.selectedIndex === 0 ? (by > 0 ? 0 : last + 1) : years.selectedIndex;
      years.selectedIndex = Math.min(Math.max(at + by, 1), last);
      filter();
    }
    document.getElementById("year-prev").addEventListener("click", function () { step(-1); });
    document.getElementById("year-next").addEventListener("click", function () { step(1); });
    controls.forEach(function (c) { c.addEventListener("input", filter); });
    filter();
  }
})();
