/* The dashboard's charts (Chart.js, served by this service): one function a chart. */
"use strict";

window.SahabatCharts = (function () {
  const charts = {};
  const PALETTE = ["#1f4e79", "#2e86ab", "#48a9a6", "#e4a11b", "#c8553d", "#7b5ea7",
                   "#5c946e", "#a0a0a0"];

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    const canvas = document.getElementById(id);
    config.options = Object.assign({
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
    }, config.options || {});
    charts[id] = new Chart(canvas, config);
    return charts[id];
  }

  function bars(id, labels, values, opts) {
    opts = opts || {};
    return draw(id, {
      type: "bar",
      data: { labels, datasets: [{ label: opts.label || "", data: values,
        backgroundColor: opts.colors || PALETTE[0], borderRadius: 3 }] },
      options: {
        indexAxis: opts.horizontal ? "y" : "x",
        scales: {
          [opts.horizontal ? "x" : "y"]: Object.assign({ beginAtZero: true,
            ticks: { precision: 0 } }, opts.max ? { max: opts.max } : {}),
        },
      },
    });
  }

  function stacked(id, labels, series) {
    return draw(id, {
      type: "bar",
      data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.values,
        backgroundColor: PALETTE[i % PALETTE.length], stack: "all" })) },
      options: {
        plugins: { legend: { display: true, position: "bottom",
          labels: { boxWidth: 12, font: { size: 11 } } } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true,
          ticks: { precision: 0 } } },
      },
    });
  }

  function resizeAll() {
    Object.values(charts).forEach((chart) => chart.resize());
  }

  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  return { bars, stacked, charts, PALETTE };
})();
