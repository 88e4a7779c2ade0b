// Booking on a customer's behalf from the schedule: find the customer (a
// prefix search on name, e-mail or phone through GET /customers?q=) or add
// a walk-in (a name plus an e-mail or a phone, POST /customers), then book
// the chosen free start through POST /appointments with `customerId`, the
// same booking routine every other path takes. The backend decides; this
// shows its answer.
import { h, replace, focusSoon } from "../dom";
import { callApi } from "../api";
import { REASON_MESSAGES } from "../data";
import { formatDateTime } from "../time";

/** Admins get contacts; staff get hints ("g•••@example.com", "•••58"). */
export interface CustomerHit {
  id: string; name: string; email?: string | null; phone?: string | null; emailHint?: string; phoneHint?: string;
}

export interface BookTarget {
  providerId: string;
  providerName: string;
  zone: string;
  typeId: string;
  typeName: string;
  start: Date;
}

const contact = (c: CustomerHit) => [c.email ?? c.emailHint, c.phone ?? c.phoneHint].filter(Boolean).join(" · ");

/** Customers whose name, e-mail or phone starts with `q` (the backend picks which from what was typed). */
export async function searchCustomers(q: string): Promise<{ hits: CustomerHit[]; error: string }> {
  const answer = await callApi<{ items?: CustomerHit[] }>("GET", `/customers?q=${encodeURIComponent(q)}&pageSize=20`);
  if (!answer.ok) return { hits: [], error: answer.detail };
  return { hits: answer.data.items ?? [], error: "" };
}

export function openBookOnBehalf(dialog: HTMLDialogElement, target: BookTarget, done: (appointmentId: string) => void): void {
  let chosen: CustomerHit | null = null;
  // One key per opened form: a double click or a retry finds the walk-in already made, not a second one.
  const walkInKey = crypto.randomUUID();
  const title = h("h2", { id: "desk-book-title" }, "Book on behalf of a customer");
  const when = h("p", { class: "desk-when" },
    h("strong", null, `${formatDateTime(target.start, target.zone)}`), ` (${target.zone}) · ${target.typeName} with ${target.providerName}`);
  const search = h("input", { id: "desk-search", type: "search", autocomplete: "off", "aria-describedby": "desk-search-hint" });
  const results = h("ul", { class: "desk-results", id: "desk-results", "aria-label": "Matching customers" });
  const searchStatus = h("p", { class: "muted small", role: "status", id: "desk-search-status" });
  const picked = h("p", { class: "desk-picked", role: "status", id: "desk-picked" });
  const error = h("p", { class: "form-error", role: "alert", id: "desk-book-error" });
  const confirm = h("button", { class: "btn primary", type: "submit", id: "desk-book-confirm", disabled: true }, "Book");
  const walkName = h("input", { id: "walkin-name", type: "text", maxlength: "120", autocomplete: "off" });
  const walkEmail = h("input", { id: "walkin-email", type: "email", autocomplete: "off" });
  const walkPhone = h("input", { id: "walkin-phone", type: "tel", autocomplete: "off" });
  const walkError = h("p", { class: "form-error", role: "alert" });

  const choose = (c: CustomerHit) => {
    chosen = c;
    confirm.disabled = false;
    replace(picked, "Customer: ", h("strong", null, c.name), contact(c) ? ` (${contact(c)})` : "");
    focusSoon(confirm);
  };

  let seq = 0;
  async function runSearch(): Promise<void> {
    const q = search.value.trim();
    const mine = ++seq;
    if (q.length < 2) {
      replace(results);
      replace(searchStatus, "Type at least 2 letters or digits.");
      return;
    }
    replace(searchStatus, "Searching…");
    const { hits, error: failed } = await searchCustomers(q);
    if (mine !== seq) return;
    replace(searchStatus, failed ? `Search failed: ${failed}` : hits.length ? `${hits.length} found.` : "No customer found. Add them as a walk-in below.");
    replace(results, hits.map((c) => h("li", null, h("button", {
      type: "button", class: "btn ghost small desk-hit", dataset: { customer: c.id },
      onclick: () => choose(c),
    }, h("strong", null, c.name), contact(c) ? h("span", { class: "muted" }, ` ${contact(c)}`) : null))));
  }
  let timer: number | undefined;
  search.addEventListener("input", () => { window.clearTimeout(timer); timer = window.setTimeout(() => void runSearch(), 250); });

  async function addWalkIn(): Promise<void> {
    const name = walkName.value.trim();
    const email = walkEmail.value.trim();
    const phone = walkPhone.value.trim();
    if (!name || (!email && !phone)) {
      replace(walkError, "Enter a name and an e-mail or a phone number.");
      focusSoon(name ? walkEmail : walkName);
      return;
    }
    replace(walkError);
    addBtn.disabled = true;
    const answer = await callApi<CustomerHit>("POST", "/customers",
      { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) }, { "Idempotency-Key": walkInKey });
    addBtn.disabled = false;
    if (!answer.ok) {
      replace(walkError, answer.detail, answer.errors.length ? h("ul", null, answer.errors.map((e) => h("li", null, e))) : null);
      return;
    }
    choose({ id: answer.data.id, name: answer.data.name ?? name, email: answer.data.email ?? email, phone: answer.data.phone ?? phone });
  }
  const addBtn = h("button", { class: "btn small", type: "button", id: "walkin-add", onclick: () => void addWalkIn() }, "Add walk-in");

  const form = h("form", { class: "dialog-body", method: "dialog", "aria-labelledby": "desk-book-title" },
    title, when,
    h("div", { class: "field" },
      h("label", { for: "desk-search" }, "Find a customer"),
      h("span", { class: "hint", id: "desk-search-hint" }, "Name, e-mail or phone, from the start."),
      search, searchStatus, results),
    h("details", { class: "walkin" },
      h("summary", null, "New customer (walk-in or phone caller)"),
      h("div", { class: "stack" },
        h("div", { class: "field" }, h("label", { for: "walkin-name" }, "Name"), walkName),
        h("div", { class: "row-fields" },
          h("div", { class: "field" }, h("label", { for: "walkin-email" }, "E-mail"), walkEmail),
          h("div", { class: "field" }, h("label", { for: "walkin-phone" }, "Phone"), walkPhone)),
        walkError, addBtn)),
    picked, error,
    h("div", { class: "actions" },
      h("button", { class: "btn ghost", type: "button", onclick: () => dialog.close() }, "Cancel"),
      confirm));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!chosen) return;
    confirm.disabled = true;
    confirm.textContent = "Booking…";
    replace(error);
    const answer = await callApi<{ id: string }>("POST", "/appointments", {
      providerId: target.providerId, appointmentTypeId: target.typeId, start: target.start.toISOString(), customerId: chosen.id,
    });
    confirm.textContent = "Book";
    if (!answer.ok) {
      confirm.disabled = false;
      replace(error, REASON_MESSAGES[answer.code] ?? answer.detail);
      focusSoon(error);
      return;
    }
    dialog.close();
    done(answer.data.id);
  });

  replace(dialog, form);
  dialog.setAttribute("aria-labelledby", "desk-book-title");
  dialog.showModal();
  focusSoon(search);
}
