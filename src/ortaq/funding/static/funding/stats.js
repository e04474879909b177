// Ortaq: charts of the funding statistics page. The figures come from a JSON data block
// (<script type="application/json" id="funding-stats-data">), never from inline script, so the
// Content-Security-Policy stays strict. Without this file the tables below show everything.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("funding-stats-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var Chart = window.Chart;
    var base = { responsive: true, maintainAspectRatio: false, animation: false };
    function make(id, config) {
      var canvas = document.getElementById(id);
      if (canvas) {
        new Chart(canvas, config);
      }
    }
    function title(id) {
      var canvas = document.getElementById(id);
      return { display: true, text: canvas ? canvas.getAttribute("aria-label") : "" };
    }
    function amountAndProjects(id, part) {
      make(id, {
        type: "bar",
        data: {
          labels: part.labels,
          datasets: [
            { label: data.amount_label, data: part.amount, backgroundColor: "#0d6efd", yAxisID: "y" },
            { label: data.projects_label, data: part.projects, type: "line", borderColor: "#fd7e14",
              backgroundColor: "#fd7e14", yAxisID: "y1" }
          ]
        },
        options: Object.assign({}, base, {
          plugins: { title: title(id) },
          scales: {
            y: { beginAtZero: true, position: "left" },
            y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } }
          }
        })
      });
    }
    amountAndProjects("chart-funding-regions", data.regions);
    amountAndProjects("chart-funding-years", data.years);
    make("chart-funding-share", {
      type: "bar",
      data: {
        labels: data.regions.labels,
        datasets: [
          { label: data.share_label, data: data.regions.share, backgroundColor: "#198754" },
          { label: data.achievement_label, data: data.regions.achievement, backgroundColor: "#6f42c1" }
        ]
      },
      options: Object.assign({}, base, { plugins: { title: title("chart-funding-share") } })
    });
    make("chart-funding-areas", {
      type: "bar",
      data: {
        labels: data.areas.labels,
        datasets: [{ label: data.amount_label, data: data.areas.amount, backgroundColor: "#20c997" }]
      },
      options: Object.assign({}, base, { indexAxis: "y", plugins: { legend: { display: false }, title: title("chart-funding-areas") } })
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
