/* Search-as-you-type choices (decision 0028). A field rendered by core/picks.py is
     <div class="pick" data-pick-url="/picks/<source>/?..." data-pick-name="employer" [data-pick-multiple]>
       <input type="hidden" name="employer">  (single choice)   or   <ul class="pick-chosen"> (several)
       <input class="pick-box" name="employer__text">  <ul class="pick-results" role="listbox">
   Typing asks the JSON endpoint (at most 20 rows, the caller's data scope only) and lists the rows; picking one
   fills the hidden value (or adds a ticked box). Without this script the server resolves the typed name. */
(function () {
  "use strict";
  var DELAY = 180;

  function setup(root) {
    var box = root.querySelector(".pick-box");
    var list = root.querySelector(".pick-results");
    var hidden = root.querySelector('input[type="hidden"]');
    var chosen = root.querySelector(".pick-chosen");
    var multiple = root.hasAttribute("data-pick-multiple");
    var name = root.getAttribute("data-pick-name");
    var url = root.getAttribute("data-pick-url");
    var timer = null;
    var asked = 0;
    var active = -1;
    if (!box || !list) { return; }

    function close() {
      list.hidden = true;
      list.textContent = "";
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function pick(item) {
      var id = item.getAttribute("data-id");
      var label = item.textContent;
      if (multiple) {
        if (!chosen.querySelector('input[value="' + id + '"]')) {
          var li = document.createElement("li");
          var lab = document.createElement("label");
          var tick = document.createElement("input");
          tick.type = "checkbox";
          tick.name = name;
          tick.value = id;
          tick.checked = true;
          lab.appendChild(tick);
          lab.appendChild(document.createTextNode(" " + label));
          li.appendChild(lab);
          chosen.appendChild(li);
        }
        box.value = "";
      } else {
        hidden.value = id;
        box.value = label;
      }
      root.setAttribute("data-picked", id);
      close();
      box.focus();
    }

    function highlight(index) {
      var items = list.querySelectorAll('[role="option"]');
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      box.setAttribute("aria-activedescendant", items[active].id);
    }

    function show(rows, number) {
      if (number !== asked) { return; }
      list.textContent = "";
      active = -1;
      if (!rows.length) {
        var none = document.createElement("li");
        none.className = "pick-none";
        none.textContent = root.getAttribute("data-pick-none") || "—";
        list.appendChild(none);
      }
      rows.forEach(function (row, i) {
        var li = document.createElement("li");
        li.id = box.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-id", String(row.id));
        li.setAttribute("aria-selected", "false");
        li.textContent = row.label;
        list.appendChild(li);
      });
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var text = box.value.trim();
      if (!text) { close(); return; }
      asked += 1;
      var number = asked;
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(address, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { show(data.results || [], number); })
        .catch(function () { close(); });
    }

    box.addEventListener("input", function () {
      if (!multiple && hidden) { hidden.value = ""; }  // edited after picking: the typed name counts again
      root.removeAttribute("data-picked");
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(ask, DELAY);
    });
    box.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
      else if (event.key === "Escape") { close(); event.preventDefault(); }
      else if (event.key === "Enter" && active >= 0) {
        pick(list.querySelectorAll('[role="option"]')[active]);
        event.preventDefault();
      }
    });
    list.addEventListener("mousedown", function (event) {
      var item = event.target.closest('[role="option"]');
      if (item) { event.preventDefault(); pick(item); }
    });
    box.addEventListener("blur", function () { setTimeout(close, DELAY); });
  }

  function init() {
    var roots = document.querySelectorAll(".pick[data-pick-url]");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].hasAttribute("data-pick-ready")) {
        roots[i].setAttribute("data-pick-ready", "");
        setup(roots[i]);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSwap", init);
})();
