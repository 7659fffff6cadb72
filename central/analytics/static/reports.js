// The console's analytics charts: reads the page's JSON data block (#analytics-data) and
// draws one ECharts chart per element with a data-chart attribute. Tooltips are drawn on
// the canvas (renderMode "richText"): the page's CSP allows no inline styles.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("analytics-data").textContent);
  var label = data.labels;
  var reports = {};
  // One currency per chart: rows in others are left to the CSVs.
  Object.keys(data.reports).forEach(function (name) {
    reports[name] = data.reports[name].filter(function (r) {
      return r.currency === undefined || r.currency === data.currency;
    });
  });

  function pick(rows, key) {
    return rows.map(function (r) { return r[key]; });
  }
  function money(minor) {
    return minor / Math.pow(10, data.exponent);
  }
  function bars(categories, series) {
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: {},
      grid: { left: 60, right: 60, bottom: 40, top: 40 },
      xAxis: { type: "category", data: categories },
      // A second axis, named after its measure, when a chart shows two kinds (a count and
      // money, a rate and seconds); the first axis is named after its first series.
      yAxis: series.some(function (s) { return s.yAxisIndex; })
        ? [0, 1].map(function (i) {
          var first = series.filter(function (s) { return (s.yAxisIndex || 0) === i; })[0];
          return { type: "value", name: first.name, nameTextStyle: { align: i ? "right" : "left" } };
        })
        : { type: "value" },
      series: series
    };
  }
  var builders = {
    "sales-by-day": function (rows) {
      return bars(pick(rows, "day"), [
        { name: label.revenue, type: "line", data: rows.map(function (r) { return money(r.net_minor); }) },
        { name: label.sales, type: "bar", yAxisIndex: 1, data: pick(rows, "sales") }
      ]);
    },
    "sales-by-hour": function (rows) {
      return bars(pick(rows, "hour"), [
        { name: label.sales, type: "bar", data: pick(rows, "sales") },
        { name: label.revenue, type: "line", yAxisIndex: 1,
          data: rows.map(function (r) { return money(r.revenue_minor); }) }
      ]);
    },
    "baskets": function (rows) {
      rows = rows.filter(function (r) { return r.bucket !== "all"; });
      return bars(pick(rows, "bucket"), [
        { name: label.sales, type: "bar", data: pick(rows, "sales") },
        { name: label.average, type: "line", yAxisIndex: 1,
          data: rows.map(function (r) { return money(r.average_value_minor); }) }
      ]);
    },
    "coupon-funnel": function (rows) {
      return bars(pick(rows, "kind"), ["issued", "claimed", "redeemed"].map(function (k) {
        return { name: label[k], type: "bar", data: pick(rows, k) };
      }));
    },
    "promotion-effect": function (rows) {
      return bars(pick(rows, "name"), [
        { name: label.before, type: "bar", data: pick(rows, "units_before") },
        { name: label.during, type: "bar", data: pick(rows, "units_during") }
      ]);
    },
    "tiers": function (rows) {
      return {
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: {},
        // No members at all is no slice, not equal slices.
        series: [{ name: label.members, type: "pie", radius: ["35%", "65%"], stillShowZeroSum: false,
          data: rows.map(function (r) { return { name: r.tier, value: r.members }; }) }]
      };
    },
    "tier-moves": function (rows) {
      return bars(rows.map(function (r) { return r.from_tier + " → " + r.to_tier; }), [
        { name: label.moved, type: "bar", data: pick(rows, "members") }
      ]);
    },
    "kiosk-use": function (rows) {
      return bars(pick(rows, "kiosk_id"), [
        { name: label.per_hour, type: "bar",
          data: rows.map(function (r) { return r.sales_per_hour_x100 / 100; }) },
        { name: label.help, type: "bar",
          data: rows.map(function (r) { return (r.help_calls_per_100_sales_x100 || 0) / 100; }) },
        // Kiosks that sent no first scan time (older versions) have no point here.
        { name: label.scan_to_pay, type: "line", yAxisIndex: 1,
          data: pick(rows, "average_scan_to_pay_s") }
      ]);
    }
  };
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var name = element.getAttribute("data-chart");
    element.style.height = "340px";
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(builders[name](reports[name]));
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
