// Submit selects marked data-autosubmit (language switch) without inline scripts (CSP).
document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
  el.addEventListener("change", function () { el.form.submit(); });
});

// Every .table scrolls sideways on a narrow screen: wrap any table a template left
// without a .table-responsive wrapper (issue 12 #14).
document.querySelectorAll("table.table").forEach(function (table) {
  if (table.closest(".table-responsive")) { return; }
  var wrapper = document.createElement("div");
  wrapper.className = "table-responsive";
  table.parentNode.insertBefore(wrapper, table);
  wrapper.appendChild(table);
});
