/* Click-through on the chain map: a tree item carrying a "link" opens the list behind it.
   Runs after core's charts.js has drawn the chart (that script's listener was registered first). */
(function () {
  "use strict";
  function bind() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart-links]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (!chart) { return; }
      chart.on("click", function (params) {
        if (params.data && params.data.link && (!params.data.children || params.data.children.length === 0 || params.event.event.ctrlKey)) {
          window.location.href = params.data.link;
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
