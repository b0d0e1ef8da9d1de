/* Selects marked data-autosubmit send their form when changed (replaces inline onchange handlers, which the
   Content-Security-Policy forbids). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
})();
