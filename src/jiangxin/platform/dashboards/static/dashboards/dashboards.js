/* Draws every dashboard chart with the vendored ECharts (SVG renderer) from the page's JSON data block
   (#dashboard-data, written by Django's json_script). No data is fetched; nothing leaves the page. */
(function () {
  "use strict";
  function option(spec) {
    if (spec.kind === "funnel" || spec.kind === "pie") {
      var s = spec.series[0];
      var data = spec.categories.map(function (c, i) { return { name: c, value: s.values[i] }; });
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          name: s.name, type: spec.kind, data: data, sort: spec.kind === "funnel" ? "none" : undefined,
          radius: spec.kind === "pie" ? ["35%", "65%"] : undefined,
          label: { show: true, formatter: "{b}: {c}" }
        }]
      };
    }
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 4 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) {
        return { name: s.name, type: s.kind === "line" ? "line" : "bar", data: s.values };
      })
    };
  }
  function draw() {
    var block = document.getElementById("dashboard-data");
    if (!block || !window.echarts) { return; }
    var specs = JSON.parse(block.textContent);
    specs.forEach(function (spec) {
      var el = document.querySelector('[data-chart="' + spec.key + '"]');
      if (!el) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(spec));
      el.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
