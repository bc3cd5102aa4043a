// Dashboard charts (ECharts, vendored). No inline script (CSP): each chart container
// names the json_script element holding its data: {title, categories, series:[{name, kind, data}]}.
// Counts are bars on the left axis, shares (percent) lines on the right axis.
(function () {
  if (typeof echarts === "undefined") { return; }
  var charts = [];
  // Labels turn when there are many, or when the chart is too narrow for them to lie flat
  // side by side (a phone): ECharts would otherwise draw them over one another.
  function labelRotation(el, count) {
    var perLabel = el.clientWidth / Math.max(1, count);
    return count > 6 || perLabel < 72 ? 30 : 0;
  }
  document.querySelectorAll("[data-chart-source]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var series = data.series.map(function (s) {
      var share = s.kind === "share";
      return {
        name: s.name,
        type: share ? "line" : "bar",
        yAxisIndex: share ? 1 : 0,
        data: s.data,
        connectNulls: true,
        tooltip: { valueFormatter: function (v) { return v === null || v === undefined ? "—" : (share ? v + "%" : v); } }
      };
    });
    var rotate = labelRotation(el, data.categories.length);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 56, top: 48, bottom: rotate ? 80 : 40 },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: rotate } },
      yAxis: [
        { type: "value", minInterval: 1, name: el.getAttribute("data-count-label") || "" },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
      ],
      series: series
    });
    charts.push({ chart: chart, el: el, count: data.categories.length, rotate: rotate });
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) {
      var rotate = labelRotation(c.el, c.count);
      if (rotate !== c.rotate) {
        c.rotate = rotate;
        c.chart.setOption({ grid: { bottom: rotate ? 80 : 40 }, xAxis: { axisLabel: { rotate: rotate } } });
      }
      c.chart.resize();
    });
  });
})();
