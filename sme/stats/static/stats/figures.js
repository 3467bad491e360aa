// The landing page's figure charts (ECharts), drawn from the page's json_script "figures-data"
// into each <div data-figure="key">. The same figures are written as text below each chart.
(function () {
  var source = document.getElementById("figures-data");
  if (!source || typeof echarts === "undefined") return;
  var figures = JSON.parse(source.textContent);
  var PALETTE = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#d63384", "#6c757d", "#198754"];
  var charts = [];

  function options(f) {
    var names = f.parts.map(function (p) { return p.name; });
    var base = { animation: false, color: PALETTE, tooltip: { trigger: "item", confine: true } };
    if (f.chart === "pie") {
      base.legend = { bottom: 0, data: names, itemWidth: 10, itemHeight: 10, itemGap: 8, textStyle: { fontSize: 11 } };
      base.series = [{
        type: "pie",
        radius: ["30%", "58%"],
        center: ["50%", "40%"],
        label: { show: false },
        data: f.parts.map(function (p) { return { name: p.name, value: p.value }; })
      }];
    } else if (f.chart === "share") {
      base.series = [{
        type: "gauge",
        min: 0,
        max: 100,
        radius: "90%",
        center: ["50%", "60%"],
        startAngle: 200,
        endAngle: -20,
        progress: { show: true, width: 12 },
        axisLine: { lineStyle: { width: 12 } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        detail: { show: false },  // the share is written above the chart
        data: [{ value: f.share === null ? 0 : f.share, name: "" }]
      }];
    } else {
      base.tooltip = { trigger: "axis", confine: true };
      base.grid = { left: 4, right: 8, top: 8, bottom: 4, containLabel: true };
      base.xAxis = { type: "value", minInterval: 1 };
      base.yAxis = { type: "category", inverse: true, data: names, axisLabel: { width: 90, overflow: "truncate" } };
      base.series = [{ type: "bar", data: f.parts.map(function (p) { return p.value; }), barMaxWidth: 18 }];
    }
    return base;
  }

  figures.forEach(function (f) {
    var el = document.querySelector('[data-figure="' + f.key + '"]');
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(options(f));
    el.setAttribute("data-rendered", "true");
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
