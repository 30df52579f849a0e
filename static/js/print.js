// The report's "Print report" button: the page carries no inline script (CSP), so it is wired here.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
