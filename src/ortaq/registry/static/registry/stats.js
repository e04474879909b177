// Ortaq: charts of the NGO statistics page. The figures come from a JSON data block
// (<script type="application/json" id="ngo-stats-data">), never from inline script, so the
// Content-Security-Policy stays strict. Without this file the tables below show everything.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("ngo-stats-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var Chart = window.Chart;
    var palette = ["#0d6efd", "#6c757d", "#ffc107", "#fd7e14", "#dc3545", "#198754", "#20c997",
      "#6f42c1", "#d63384", "#0dcaf0", "#adb5bd"];
    var base = { responsive: true, maintainAspectRatio: false, animation: false };
    function make(id, config) {
      var canvas = document.getElementById(id);
      if (canvas) {
        new Chart(canvas, config);
      }
    }
    var title = function (id) {
      var canvas = document.getElementById(id);
      return { display: true, text: canvas ? canvas.getAttribute("aria-label") : "" };
    };
    make("chart-regions", {
      type: "bar",
      data: {
        labels: data.regions.labels,
        datasets: [
          { label: data.regions.registered_label, data: data.regions.registered, backgroundColor: "#9ec5fe" },
          { label: data.regions.active_label, data: data.regions.active, backgroundColor: "#0d6efd" }
        ]
      },
      options: Object.assign({}, base, { plugins: { title: title("chart-regions") } })
    });
    make("chart-statuses", {
      type: "doughnut",
      data: {
        labels: data.statuses.labels,
        datasets: [{ data: data.statuses.values, backgroundColor: palette }]
      },
      options: Object.assign({}, base, { plugins: { title: title("chart-statuses") } })
    });
    make("chart-growth", {
      type: "line",
      data: {
        labels: data.growth.labels,
        datasets: [{ data: data.growth.values, borderColor: "#0d6efd", fill: false, pointRadius: 0 }]
      },
      options: Object.assign({}, base, { plugins: { legend: { display: false }, title: title("chart-growth") } })
    });
    make("chart-legal-forms", {
      type: "bar",
      data: {
        labels: data.legal_forms.labels,
        datasets: [{ data: data.legal_forms.values, backgroundColor: "#6f42c1" }]
      },
      options: Object.assign({}, base, { indexAxis: "y", plugins: { legend: { display: false }, title: title("chart-legal-forms") } })
    });
    make("chart-areas", {
      type: "bar",
      data: {
        labels: data.areas.labels,
        datasets: [{ data: data.areas.values, backgroundColor: "#198754" }]
      },
      options: Object.assign({}, base, { indexAxis: "y", plugins: { legend: { display: false }, title: title("chart-areas") } })
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
