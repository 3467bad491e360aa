// The report's radar chart (ECharts). The figures come from the page (json_script "radar-data"),
// the same ones the PDF draws as SVG.
//
// The axis names must stay inside the chart's box at any width: on a phone (390 px) the box is
// about 360 px wide, and a radar at 62 % of it leaves no room for a name like "数字化经营" at the
// left and right vertices. So the layout is worked out from the box: each name is wrapped (here, by
// measuring it) to a width that fits beside the radar, and the radius is what is left once the
// names have their room.
(function () {
  var el = document.getElementById("radar-chart");
  var source = document.getElementById("radar-data");
  if (!el || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (!data.indicators || data.indicators.length < 3) return;

  var LEGEND_HEIGHT = 28;
  var MARGIN = 6;
  var measure = document.createElement("canvas").getContext("2d");

  // "数字化经营（场景等级）": the note on its own line.
  function label(name) { return name.replace("（", "\n（"); }

  function textWidth(text, fontSize) {
    measure.font = fontSize + "px sans-serif";
    return measure.measureText(text).width;
  }

  // A name broken into lines no wider than `width` (Chinese text anywhere, Latin text between
  // words), with the lines of about equal length: "数字化经营 / 战略", not "数字化经营战 / 略".
  function wrap(name, width, fontSize) {
    var greedy = wrapGreedy(name, width, fontSize);
    if (greedy.length < 2) return greedy;
    var even = wrapGreedy(name, textWidth(label(name), fontSize) / greedy.length + fontSize, fontSize);
    return even.length <= greedy.length ? even : greedy;
  }

  function wrapGreedy(name, width, fontSize) {
    var lines = [];
    label(name).split("\n").forEach(function (part) {
      var pieces = part.match(/[\x21-\x7e]+\s*|\s+|[^\x21-\x7e\s]/g) || [part];
      var line = "";
      pieces.forEach(function (piece) {
        if (line && textWidth((line + piece).trimEnd(), fontSize) > width) {
          lines.push(line.trimEnd());
          line = piece.trimStart();
        } else {
          line += piece;
        }
      });
      if (line) lines.push(line.trimEnd());
    });
    return lines;
  }

  function layout() {
    var width = el.clientWidth || 360;
    var height = el.clientHeight || 380;
    var narrow = width < 480;
    var fontSize = narrow ? 11 : 12;
    var lineHeight = fontSize + 3;
    var nameGap = narrow ? 4 : 8;
    // Room for a name beside the radar: a fifth of the box (Chinese text wraps anywhere), but at
    // least the longest word of a name in Latin letters, which wraps only between words.
    var longestWord = 0;
    data.indicators.forEach(function (ind) {
      label(ind.name).split(/[\s\n]+/).forEach(function (word) {
        if (/^[\x21-\x7e]+$/.test(word)) longestWord = Math.max(longestWord, textWidth(word, fontSize));
      });
    });
    var nameWidth = Math.ceil(Math.min(Math.max(width * 0.2, 56), narrow ? 80 : 130));
    nameWidth = Math.max(nameWidth, Math.ceil(Math.min(longestWord, width * 0.3)));
    var lines = 1;
    data.indicators.forEach(function (ind) {
      lines = Math.max(lines, wrap(ind.name, nameWidth, fontSize).length);
    });
    var plotHeight = height - LEGEND_HEIGHT;
    var besideRadius = width / 2 - nameWidth - nameGap - MARGIN;
    var aboveRadius = plotHeight / 2 - lines * lineHeight - nameGap - MARGIN;
    return {
      radius: Math.max(30, Math.floor(Math.min(besideRadius, aboveRadius))),
      center: [width / 2, plotHeight / 2],
      nameGap: nameGap,
      axisName: {
        color: "#212529",
        fontSize: fontSize,
        lineHeight: lineHeight,
        formatter: function (name) { return wrap(name, nameWidth, fontSize).join("\n"); }
      }
    };
  }

  function options() {
    var fit = layout();
    return {
      animation: false,
      color: data.series.map(function (s) { return s.color; }),
      tooltip: { trigger: "item", confine: true },
      legend: { bottom: 0, data: data.series.map(function (s) { return s.name; }) },
      radar: {
        indicator: data.indicators,
        center: fit.center,
        radius: fit.radius,
        nameGap: fit.nameGap,
        axisName: fit.axisName,
        splitNumber: 4
      },
      series: [{
        type: "radar",
        areaStyle: { opacity: 0.25 },
        data: data.series.map(function (s) { return { name: s.name, value: s.value }; })
      }]
    };
  }

  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption(options());
  el.setAttribute("data-rendered", "true");
  window.addEventListener("resize", function () {
    chart.resize();
    chart.setOption(options());
  });
})();
