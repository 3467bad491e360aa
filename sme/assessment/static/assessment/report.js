// The report's radar chart (ECharts). The figures come from the page (json_script "radar-data"),
// the same ones the PDF draws as SVG.
(function () {
  var el = document.getElementById("radar-chart");
  var source = document.getElementById("radar-data");
  if (!el || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (!data.indicators || data.indicators.length < 3) return;
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    color: data.series.map(function (s) { return s.color; }),
    tooltip: { trigger: "item" },
    legend: { bottom: 0, data: data.series.map(function (s) { return s.name; }) },
    radar: {
      indicator: data.indicators,
      radius: "62%",
      axisName: {
        color: "#212529",
        // "数字化经营（场景等级）": the note on its own line, so long names stay inside the box.
        formatter: function (name) { return name.replace("（", "\n（"); }
      },
      splitNumber: 4
    },
    series: [{
      type: "radar",
      areaStyle: { opacity: 0.25 },
      data: data.series.map(function (s) { return { name: s.name, value: s.value }; })
    }]
  });
  el.setAttribute("data-rendered", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
