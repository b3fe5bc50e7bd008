// Filters and links for the oxconf HTML report. The script carries no data: it reads the
// data-* attributes the server-side template wrote (escaped) and only toggles visibility.
(function () {
  "use strict";
  var all = function (sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); };
  var boxes = all("input[name=verdict]");
  var suite = document.getElementById("f-suite");
  var level = document.getElementById("f-level");
  var req = document.getElementById("f-req");
  var count = document.getElementById("f-count");
  var rows = all("[data-verdict]");
  var scenarios = all("details.scenario");

  // A requirement filter is a prefix ("OMS-R1") or a glob ("OMS-R1*4"), without case.
  function requirementTest(text) {
    var t = text.trim();
    if (!t) { return null; }
    var body = t.split("*").map(function (p) {
      return p.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }).join(".*");
    var re = new RegExp("^" + body + (t.indexOf("*") < 0 ? "" : "$"), "i");
    return function (ids) { return ids.some(function (id) { return re.test(id); }); };
  }

  function matches(el, st) {
    var verdicts = (el.getAttribute("data-verdict") || "").split(" ");
    if (!verdicts.some(function (v) { return st.verdicts[v]; })) { return false; }
    if (st.suite && el.getAttribute("data-suite") !== st.suite) { return false; }
    if (st.level && el.getAttribute("data-level") !== st.level) { return false; }
    if (st.req && !st.req((el.getAttribute("data-reqs") || "").split(" "))) { return false; }
    return true;
  }

  function apply() {
    var st = { verdicts: {}, suite: suite.value, level: level.value, req: requirementTest(req.value) };
    boxes.forEach(function (b) { st.verdicts[b.value] = b.checked; });
    rows.forEach(function (el) { el.hidden = !matches(el, st); });
    var shown = scenarios.filter(function (el) { return !el.hidden; }).length;
    count.textContent = shown + " of " + scenarios.length + " scenarios shown";
    all("section.scenarios").forEach(function (sec) {
      var any = sec.querySelector("details.scenario:not([hidden])");
      var empty = sec.querySelector(".empty");
      if (empty) { empty.hidden = !!any; }
    });
  }

  function reset() {
    boxes.forEach(function (b) { b.checked = true; });
    suite.value = ""; level.value = ""; req.value = "";
    apply();
  }

  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  suite.addEventListener("change", apply);
  level.addEventListener("change", apply);
  req.addEventListener("input", apply);
  document.getElementById("f-reset").addEventListener("click", reset);
  document.getElementById("f-bad").addEventListener("click", function () {
    var bad = { fail: true, error: true, inconclusive: true, warn: true };
    boxes.forEach(function (b) { b.checked = !!bad[b.value]; });
    apply();
  });
  all(".heat .cell").forEach(function (cell) {
    cell.addEventListener("click", function () {
      req.value = cell.getAttribute("data-req") || "";
      apply();
      document.getElementById("filters").scrollIntoView({ block: "start" });
    });
  });

  // #scenario-id opens that scenario (clearing filters that would hide it), so a CI comment
  // can point at one; #summary-N opens a report's summary on a comparison page.
  function openTarget() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    if (el.classList.contains("scenario")) {
      if (el.hidden) { reset(); }
      scenarios.forEach(function (s) { s.classList.remove("target"); });
      el.classList.add("target");
    }
    if (el.tagName === "DETAILS") { el.open = true; }
    el.scrollIntoView({ block: "start" });
  }
  window.addEventListener("hashchange", openTarget);
  apply();
  openTarget();
}());
