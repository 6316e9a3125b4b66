/* Renkei's small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("rk-js");

  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }

  // Menus: one open at a time; close on a click outside or on Escape.
  document.addEventListener("click", function (event) {
    var menu = event.target.closest("details[data-menu]");
    closeMenus(menu);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details[data-menu][open]");
      if (open) {
        open.removeAttribute("open");
        var summary = open.querySelector("summary");
        if (summary) summary.focus();
      }
    }
    // "/" jumps to the search box of a list, as in many web apps.
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
      var search = document.querySelector("[data-search-shortcut]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    }
  });

  // Enter in the account search looks accounts up instead of submitting the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.id === "account-search" && window.htmx) {
      event.preventDefault();
      window.htmx.trigger(event.target, "search");
    }
  });

  // Copy buttons: <button data-copy="#input-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    var done = function () {
      var label = button.getAttribute("data-copied-label");
      if (label) button.textContent = label;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else {
      document.execCommand("copy");
      done();
    }
  });

  // Charts: <div data-chart="funnel" data-chart-source="json-script-id">.
  function cssColor(name) {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--tblr-" + name);
    return (value || "").trim() || "#066fd1";
  }
  var STAGE_COLORS = {
    subscriber: "secondary", lead: "azure", mql: "blue", sal: "indigo",
    sql: "purple", opportunity: "orange", customer: "green"
  };
  function drawCharts(root) {
    if (!window.echarts) return;
    (root || document).querySelectorAll("[data-chart=funnel]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart-source"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
      var font = getComputedStyle(document.body).fontFamily;
      chart.setOption({
        animation: false,
        textStyle: { fontFamily: font },
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: "item" },
        xAxis: { type: "value", splitLine: { lineStyle: { color: cssColor("border-color") } }, axisLabel: { color: cssColor("secondary") } },
        yAxis: {
          type: "category",
          inverse: true,
          data: data.labels,
          axisTick: { show: false },
          axisLine: { show: false },
          axisLabel: { color: cssColor("body-color"), fontSize: 12 }
        },
        series: [{
          type: "bar",
          barMaxWidth: 22,
          label: { show: true, position: "right", color: cssColor("secondary"), formatter: function (p) { return p.value.toLocaleString(); } },
          data: data.values.map(function (value, i) {
            return { value: value, itemStyle: { color: cssColor(STAGE_COLORS[data.stages[i]] || "primary"), borderRadius: [0, 4, 4, 0] } };
          })
        }]
      });
      el.setAttribute("data-drawn", "true");
    });
  }
  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () { drawCharts(document); });

  // After htmx swaps the funnel panel, move focus to its first error or back to the
  // panel, so keyboard and screen-reader users know what happened.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "funnel-panel") return;
    var panel = document.getElementById("funnel-panel");
    if (!panel) return;
    var invalid = panel.querySelector(".is-invalid, .alert-danger");
    var focusable = invalid && invalid.matches("input, select, textarea") ? invalid : null;
    if (focusable) {
      focusable.focus();
    } else {
      panel.setAttribute("tabindex", "-1");
      panel.focus({ preventScroll: !invalid });
    }
  });
})();
