// The portal's only script (the CSP allows no inline script): print buttons, the token's copy
// button, and the calendar pickers beside the DD/MM/YYYY date fields.
"use strict";

function pad(n) { return String(n).padStart(2, "0"); }

function toDayText(iso) { // "2026-11-30" -> "30/11/2026"
  const [y, m, d] = iso.split("-");
  return y && m && d ? `${d}/${m}/${y}` : "";
}

function toIso(text) { // "30/11/2026" -> "2026-11-30", or ""
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  return match ? `${match[3]}-${pad(match[2])}-${pad(match[1])}` : "";
}

function wirePickers(root) {
  root.querySelectorAll("input[data-picker-for]").forEach((picker) => {
    const field = document.getElementById(picker.dataset.pickerFor);
    if (!field || picker.dataset.wired) return;
    picker.dataset.wired = "1";
    picker.value = toIso(field.value);
    picker.addEventListener("change", (event) => {
      event.stopPropagation(); // the text field's own change event refreshes the list, once
      field.value = toDayText(picker.value);
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    field.addEventListener("change", () => { picker.value = toIso(field.value); });
  });
}

function wireButtons(root) {
  root.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  root.querySelectorAll("[data-copy-target]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copyTarget);
      const status = button.parentElement.querySelector(".copy-status");
      source.select();
      try {
        await navigator.clipboard.writeText(source.value);
      } catch (error) {
        document.execCommand("copy"); // older browsers, or a page not served over https
      }
      if (status) status.textContent = button.dataset.copied || "";
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  wirePickers(document);
  wireButtons(document);
});
document.addEventListener("htmx:afterSwap", (event) => wirePickers(event.target));
