// The admin app's only script (the CSP allows no inline script): show or hide a generated
// password, the fields of the chosen role, and buttons that need something first (a password
// before "Save and send SMS", the username typed before "Recreate"). Delegated listeners, so
// fragments that htmx swaps in work without wiring.
"use strict";

function syncPasswordButtons(root) {
  const password = document.getElementById("password");
  const filled = Boolean(password && password.value);
  root.querySelectorAll("button[data-needs-password]").forEach((button) => {
    button.disabled = !filled;
  });
}

function syncRole(root) {
  const role = document.getElementById("role");
  if (!role) return;
  root.querySelectorAll("[data-role-only]").forEach((part) => {
    part.hidden = part.dataset.roleOnly !== role.value;
  });
}

function syncConfirmations(root) {
  root.querySelectorAll("button[data-confirm-input]").forEach((button) => {
    const input = document.getElementById(button.dataset.confirmInput);
    button.disabled = !input || input.value.trim() !== button.dataset.expected;
  });
}

function syncAll(root) {
  syncPasswordButtons(root);
  syncRole(root);
  syncConfirmations(root);
}

document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-toggle-password]");
  if (!toggle) return;
  const field = document.getElementById(toggle.dataset.togglePassword);
  if (!field) return;
  const showing = field.type === "text";
  field.type = showing ? "password" : "text";
  toggle.textContent = showing ? toggle.dataset.show : toggle.dataset.hide;
  toggle.setAttribute("aria-pressed", String(!showing));
});
document.addEventListener("input", () => syncAll(document));
document.addEventListener("change", () => syncAll(document));
document.addEventListener("DOMContentLoaded", () => syncAll(document));
document.addEventListener("htmx:afterSettle", () => syncAll(document));
