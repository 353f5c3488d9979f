/* Renders every element with data-chart="<id of a json_script block>" using ECharts.
   Chart options are built on the server (semicluster.charts) and reach the page as JSON data,
   never as inline script, so the Content-Security-Policy can forbid inline code. */
(function () {
  "use strict";
  function init() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      var option = JSON.parse(source.textContent);
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      el.setAttribute("data-chart-ready", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
