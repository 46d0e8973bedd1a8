// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // After a failed submit, take keyboard and screen-reader users to the list of errors.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
// Irreversible actions ask first (forms marked data-confirm="question").
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : null;
  if (question && !window.confirm(question)) event.preventDefault();
});

// Print buttons (the CSP forbids inline onclick handlers).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
