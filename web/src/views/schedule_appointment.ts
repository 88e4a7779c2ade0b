// One appointment from the schedule: its details and history, and what the
// desk may do with it (views the model's `actionsFor` allows): move it (the
// page then offers free starts to pick), cancel with a reason, mark it
// completed or no-show once it has begun, edit the notes. Every write goes
// through PUT /appointments/{id}; the grid redraws from its listeners.
import { h, replace, focusSoon } from "../dom";
import { callApi } from "../api";
import { REASON_MESSAGES } from "../data";
import { actionsFor, STATUS_LABELS, type Status } from "../schedule";
import { formatDateTime, formatTime } from "../time";
import type { DeskAppointment } from "./schedule_data";
import { customerRecord } from "./schedule_record";

export interface AppointmentHooks {
  zone: string;
  providerName: string;
  now: Date;
  /** The desk chose "Reschedule": the page lets it pick a new start. */
  onMove: (appointment: DeskAppointment) => void;
  /** A write succeeded; `message` is announced, focus goes back to the grid. */
  onDone: (appointment: DeskAppointment, message: string) => void;
}

export function openAppointment(dialog: HTMLDialogElement, a: DeskAppointment, hooks: AppointmentHooks): void {
  const { zone } = hooks;
  const allowed = actionsFor(a.status, a.start, hooks.now);
  const error = h("p", { class: "form-error", role: "alert", id: "appt-error" });
  const titleId = "appt-title";

  async function change(body: Record<string, unknown>, message: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    replace(error);
    const answer = await callApi("PUT", `/appointments/${encodeURIComponent(a.id)}`, body);
    button.disabled = false;
    if (!answer.ok) {
      replace(error, REASON_MESSAGES[answer.code] ?? answer.detail,
        answer.errors.length ? h("ul", null, answer.errors.map((e) => h("li", null, e))) : null);
      focusSoon(error);
      return;
    }
    dialog.close();
    hooks.onDone(a, message);
  }

  const notes = h("textarea", { id: "appt-notes", rows: "3", maxlength: "1000" });
  notes.value = a.notes;
  const saveNotes = h("button", { class: "btn small", type: "button", id: "appt-save-notes" }, "Save notes");
  saveNotes.addEventListener("click", () => void change({ notes: notes.value }, "Notes saved.", saveNotes));

  const reason = h("input", { id: "appt-cancel-reason", type: "text", maxlength: "500", autocomplete: "off" });
  const cancelBtn = h("button", { class: "btn danger small", type: "button", id: "appt-cancel" }, "Cancel appointment");
  cancelBtn.addEventListener("click", () => {
    if (!reason.value.trim()) {
      replace(error, "Give a reason for the cancellation.");
      focusSoon(reason);
      return;
    }
    void change({ status: "cancelled", cancelReason: reason.value.trim() }, "Appointment cancelled.", cancelBtn);
  });

  const mark = (status: Status, label: string) => {
    const b = h("button", { class: "btn small", type: "button", dataset: { mark: status } }, label);
    b.addEventListener("click", () => void change({ status }, `Marked ${STATUS_LABELS[status].toLowerCase()}.`, b));
    return b;
  };

  const moveBtn = h("button", { class: "btn primary small", type: "button", id: "appt-move" }, "Reschedule…");
  moveBtn.addEventListener("click", () => { dialog.close(); hooks.onMove(a); });

  const history = h("ol", { class: "appt-history", "aria-label": "History" },
    a.history.length ? a.history.map((e) => h("li", null,
      e.at ? `${formatDateTime(e.at, zone)}: ` : "", h("strong", null, STATUS_LABELS[e.status as Status] ?? e.status),
      e.by ? h("span", { class: "muted" }, ` by ${e.by}`) : null, e.note ? ` (${e.note})` : null))
      : h("li", { class: "muted" }, "No history recorded."));

  replace(dialog, h("div", { class: "dialog-body appt-dialog" },
    h("h2", { id: titleId }, `${a.customerName}, ${formatTime(a.start, zone)}–${formatTime(a.end, zone)}`),
    h("dl", { class: "summary" },
      h("dt", null, "When"), h("dd", null, `${formatDateTime(a.start, zone)} (${zone})`),
      h("dt", null, "Service"), h("dd", null, `${a.typeName} with ${hooks.providerName}`),
      h("dt", null, "Status"), h("dd", { id: "appt-status" }, STATUS_LABELS[a.status], a.cancelReason ? ` (${a.cancelReason})` : ""),
      h("dt", null, "Customer id"), h("dd", { class: "muted small" }, a.customerId)),
    customerRecord(a.customerId, zone),
    h("h3", null, "History"), history,
    h("div", { class: "field" }, h("label", { for: "appt-notes" }, "Notes"), notes, h("div", null, saveNotes)),
    allowed.mark ? h("div", { class: "actions start", role: "group", "aria-label": "Mark the visit" },
      mark("completed", "Mark completed"), mark("no_show", "Mark no-show")) : null,
    allowed.reschedule ? h("div", { class: "actions start" }, moveBtn) : null,
    allowed.cancel ? h("div", { class: "field cancel-box" },
      h("label", { for: "appt-cancel-reason" }, "Reason for cancelling"), reason, h("div", null, cancelBtn)) : null,
    error,
    h("div", { class: "actions" }, h("button", { class: "btn ghost", type: "button", id: "appt-close", onclick: () => dialog.close() }, "Close"))));
  dialog.setAttribute("aria-labelledby", titleId);
  dialog.showModal();
  focusSoon(dialog.querySelector<HTMLElement>(`#${titleId}`));
}

/** The confirmation dialog before moving `a` to `start`. */
export function confirmMove(dialog: HTMLDialogElement, a: DeskAppointment, start: Date, zone: string,
  done: (newId: string) => void): void {
  const error = h("p", { class: "form-error", role: "alert" });
  const ok = h("button", { class: "btn primary", type: "button", id: "move-confirm" }, "Move");
  ok.addEventListener("click", async () => {
    ok.disabled = true;
    const answer = await callApi<{ id: string }>("PUT", `/appointments/${encodeURIComponent(a.id)}`, { start: start.toISOString() });
    ok.disabled = false;
    if (!answer.ok) {
      replace(error, REASON_MESSAGES[answer.code] ?? answer.detail);
      focusSoon(error);
      return;
    }
    dialog.close();
    done(answer.data.id);
  });
  replace(dialog, h("div", { class: "dialog-body" },
    h("h2", { id: "move-title" }, `Move ${a.customerName}'s appointment?`),
    h("p", null, `From ${formatDateTime(a.start, zone)} to `, h("strong", null, formatDateTime(start, zone)), ` (${zone}).`),
    error,
    h("div", { class: "actions" }, h("button", { class: "btn ghost", type: "button", onclick: () => dialog.close() }, "Back"), ok)));
  dialog.setAttribute("aria-labelledby", "move-title");
  dialog.showModal();
  focusSoon(ok);
}
