// The public monthly ticket figures (ECharts): counts as bars on the left axis, rates as lines on the
// right. The figures come from the page (json_script "ticket-figures-data"), the same as the table.
(function () {
  var el = document.getElementById("ticket-figures-chart");
  var source = document.getElementById("ticket-figures-data");
  if (!el || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 48, right: 56, top: 32, bottom: 48 },
    xAxis: { type: "category", data: data.months },
    yAxis: [
      { type: "value", name: data.axes[0], minInterval: 1 },
      { type: "value", name: data.axes[1], min: 0, max: 100 }
    ],
    series: data.series.map(function (s) {
      return { name: s.name, type: s.type, yAxisIndex: s.axis, data: s.data, connectNulls: false };
    })
  });
  el.setAttribute("data-rendered", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
