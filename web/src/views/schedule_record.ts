// A customer's record from the schedule (GET /customers/{id}/record): contact
// details, the no-show count, upcoming and past appointments. Staff get only
// their own provider's appointments, and only for customers of that provider;
// the backend decides and this shows its answer or its refusal.
import { h, replace, focusSoon } from "../dom";
import { callApi } from "../api";
import { STATUS_LABELS, type Status } from "../schedule";
import { formatDateTime } from "../time";

interface RecordAppointment { id: string; start: string; status: Status; typeName: string; providerName: string }
interface CustomerRecord {
  customer: { name: string; email?: string | null; phone?: string | null };
  upcoming: RecordAppointment[];
  past: RecordAppointment[];
  noShows: number;
  truncated?: boolean;
}

const SHOWN = 5;

function list(title: string, items: RecordAppointment[], zone: string): HTMLElement {
  return h("div", null, h("h4", null, `${title} (${items.length})`),
    items.length
      ? h("ul", { class: "record-list" }, items.slice(0, SHOWN).map((a) => h("li", null,
        `${formatDateTime(new Date(a.start), zone)}: ${a.typeName} with ${a.providerName}, `, h("strong", null, STATUS_LABELS[a.status] ?? a.status))))
      : h("p", { class: "muted small" }, "None."));
}

/** A button that loads the record into a box below it, and moves focus there. */
export function customerRecord(customerId: string, zone: string): HTMLElement {
  const box = h("div", { class: "record", id: "customer-record", "aria-live": "polite" });
  const button = h("button", { class: "btn ghost small", type: "button", id: "show-record" }, "Customer record");
  button.addEventListener("click", async () => {
    button.disabled = true;
    replace(box, h("p", { class: "muted small" }, "Loading…"));
    const answer = await callApi<CustomerRecord>("GET", `/customers/${encodeURIComponent(customerId)}/record`);
    button.disabled = false;
    if (!answer.ok) {
      replace(box, h("p", { class: "form-error", role: "alert" }, `Could not load the record: ${answer.detail}`));
      return;
    }
    const r = answer.data;
    const heading = h("h3", { id: "record-title" }, r.customer.name);
    replace(box, heading,
      h("p", null, [r.customer.email, r.customer.phone].filter(Boolean).join(" · ") || "No contact details shown."),
      h("p", { id: "record-no-shows" }, `No-shows: ${r.noShows}`),
      list("Upcoming", r.upcoming, zone), list("Past", r.past, zone),
      r.truncated ? h("p", { class: "muted small" }, "Only the most recent appointments are listed.") : null);
    focusSoon(heading);
  });
  return h("div", { class: "field" }, h("div", null, button), box);
}
