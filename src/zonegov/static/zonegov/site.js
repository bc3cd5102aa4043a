// Submit selects marked data-autosubmit (language switch) without inline scripts (CSP).
document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
  el.addEventListener("change", function () { el.form.submit(); });
});
