// Ortaq: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-ortaq-autosubmit]");
    if (form && event.target.tagName === "SELECT") {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  // Confirmation before destructive actions, declared with data-ortaq-confirm="question".
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-ortaq-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
