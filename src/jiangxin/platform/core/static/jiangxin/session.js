/* Idle-session note: counts down the remaining minutes; any page load or htmx request resets it. */
(function () {
  "use strict";
  var note = document.getElementById("session-note");
  if (!note) { return; }
  var total = parseInt(note.getAttribute("data-idle-seconds"), 10) || 1800;
  var out = note.querySelector(".session-remaining");
  var english = document.documentElement.lang === "en";
  var deadline = Date.now() + total * 1000;
  function reset() { deadline = Date.now() + total * 1000; tick(); }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.ceil(left / 60);
    if (left <= 0) {
      out.textContent = english ? "Session expired; please sign in again." : "会话已过期，请重新登录。";
      note.classList.add("session-expired");
      return;
    }
    out.textContent = english ? "About " + minutes + " min left." : "剩余约 " + minutes + " 分钟。";
    note.classList.toggle("session-warning", left <= 300);
  }
  document.body.addEventListener("htmx:afterRequest", reset);
  tick();
  window.setInterval(tick, 15000);
})();
