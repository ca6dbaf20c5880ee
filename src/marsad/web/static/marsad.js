// Marsad workbench: shows a claim's details next to the text when it is clicked or focused.
// No network calls; everything it shows is already in the page (the claims table).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("claim-box");
  if (!box) return;
  const show = (el) => {
    const row = document.getElementById("claim-" + el.dataset.claim);
    if (!row) return;
    document.querySelectorAll(".active").forEach((x) => x.classList.remove("active"));
    el.classList.add("active");
    row.classList.add("active");
    const heads = row.closest("table").querySelectorAll("th");
    box.replaceChildren();
    row.querySelectorAll("td").forEach((cell, i) => {
      if (i === 0 || !cell.textContent.trim()) return;
      const line = document.createElement("p");
      const label = document.createElement("b");
      label.textContent = heads[i].textContent + ": ";
      line.append(label, cell.textContent);
      box.append(line);
    });
    box.hidden = false;
  };
  document.querySelectorAll("span.claim[data-claim]").forEach((el) => {
    el.addEventListener("click", () => show(el));
    el.addEventListener("focus", () => show(el));
    el.addEventListener("mouseenter", () => show(el));
  });
});
