// The booking dialog: the chosen time's summary, then the booking request
// written with the client SDK and followed from pending to confirmed or
// rejected (the backend decides; this only shows its answer). Signed out,
// it offers to sign in and come back to the same week.
import { collection, doc, getDoc, onSnapshot, serverTimestamp, setDoc, Timestamp } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText } from "../dom";
import { catalogue, money, session, REASON_MESSAGES, type AppointmentType } from "../data";
import { browserZone, formatDateTime, formatDayLong, formatTime } from "../time";
import type { Slot } from "../week";
import { go } from "../router";
import { downloadIcs } from "./calendar";
import { repeatControls } from "./book_repeat";

export interface BookingChoice {
  type: AppointmentType;
  /** The customer asked for any provider (the dialog then says the first free one was taken). */
  anyProvider: boolean;
  /** The appointment this booking replaces, or "". */
  rescheduleOf: string;
  /** The route to come back to after signing in. */
  returnTo: string;
  /** Called once a reschedule is confirmed: the screen stops being about the old appointment. */
  onRescheduled: () => void;
}

export function openBookingDialog(dialog: HTMLDialogElement, slot: Slot, choice: BookingChoice): void {
  const { type, rescheduleOf } = choice;
  const providerId = slot.providers[0];
  const provider = catalogue.providers.get(providerId);
  const end = new Date(slot.start.getTime() + type.durationMinutes * 60_000);
  const title = h("h2", { id: "dialog-title" }, rescheduleOf ? "Move your appointment here?" : "Confirm your booking");
  const close = () => dialog.close();

  const summary = h("dl", { class: "summary" },
    h("dt", null, "Service"), h("dd", null, `${type.name} · ${type.durationMinutes} min · ${money(type)}`),
    h("dt", null, "With"), h("dd", null, provider?.name ?? providerId,
      choice.anyProvider && slot.providers.length > 1 ? h("span", { class: "muted" }, " (first free provider)") : null),
    h("dt", null, "When"), h("dd", null,
      h("strong", null, formatDayLong(slot.start)), h("br"),
      `${formatTime(slot.start)} – ${formatTime(end)} `, h("span", { class: "muted" }, `(${browserZone})`),
      provider && provider.timeZone !== browserZone
        ? h("span", { class: "muted block" }, `${formatTime(slot.start, provider.timeZone)} for ${provider.name.split(" ").slice(-1)[0]} (${provider.timeZone})`)
        : null));

  if (!session.user) {
    replace(dialog,
      h("div", { class: "dialog-body" }, title, summary,
        h("p", null, "Sign in or create an account to book this time."),
        h("div", { class: "actions" },
          h("button", { class: "btn ghost", type: "button", onclick: close }, "Back"),
          h("button", { class: "btn primary", type: "button", onclick: () => { close(); go(`signin?next=${encodeURIComponent(choice.returnTo)}`); } }, "Sign in to book"))));
    dialog.showModal();
    return;
  }

  const notes = h("textarea", { id: "notes", maxlength: "1000", rows: "2", placeholder: "Anything the provider should know (optional)" });
  const error = h("p", { class: "form-error", role: "alert" });
  // A reschedule moves one appointment; a new booking may repeat weekly.
  const repeat = rescheduleOf ? null : repeatControls(providerId, type.id, provider?.timeZone ?? browserZone, slot.start);
  const confirm = h("button", { class: "btn primary", type: "submit" }, rescheduleOf ? "Reschedule" : "Book");
  const form = h("form", { class: "dialog-body", method: "dialog" },
    title, summary,
    h("div", { class: "field" }, h("label", { for: "notes" }, "Notes"), notes),
    repeat?.element ?? null,
    error,
    h("div", { class: "actions" },
      h("button", { class: "btn ghost", type: "button", onclick: close }, "Back"),
      confirm));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    confirm.textContent = "Sending…";
    error.textContent = "";
    try {
      await submitRequest(type, providerId, slot.start, notes.value.trim());
    } catch (e) {
      confirm.disabled = false;
      confirm.textContent = rescheduleOf ? "Reschedule" : "Book";
      error.textContent = errorText(e);
    }
  });
  replace(dialog, form);
  dialog.showModal();
  focusSoon(confirm);

  async function submitRequest(type: AppointmentType, providerId: string, start: Date, notes: string): Promise<void> {
    const { db } = svc();
    const user = session.user!;
    const ref = doc(collection(db, "bookingRequests"));
    const data: Record<string, unknown> = {
      customerId: user.uid,
      providerId,
      appointmentTypeId: type.id,
      start: Timestamp.fromDate(start),
      status: "pending",
      createdAt: serverTimestamp(),
    };
    if (notes) data.notes = notes;
    if (rescheduleOf) data.rescheduleOf = rescheduleOf;
    Object.assign(data, repeat?.fields() ?? {});
    await setDoc(ref, data);
    showPending(type, providerId, start);
    let settled = false;
    let poll = 0;
    let stopListening: () => void = () => undefined;
    const settle = (req: Record<string, unknown> | undefined): void => {
      if (settled || !req || req.status === "pending") return;
      settled = true;
      stopListening();
      window.clearInterval(poll);
      const series = Array.isArray(req.appointmentIds) ? req.appointmentIds.length : 0;
      if (req.status === "confirmed") showConfirmed(type, providerId, start, String(req.appointmentId ?? ref.id), series);
      else showRejected(String(req.reason ?? ""), String(req.message ?? ""));
    };
    stopListening = onSnapshot(ref, (snap) => settle(snap.data()), (e) => {
      if (!settled) showRejected("", errorText(e));
    });
    // The listener is the fast path; a slow re-read is the safety net for
    // an update a listener misses (seen now and then under load).
    poll = window.setInterval(() => {
      getDoc(ref).then((snap) => settle(snap.data())).catch(() => undefined);
    }, 3000);
    dialog.addEventListener("close", () => {
      settled = true;
      stopListening();
      window.clearInterval(poll);
    }, { once: true });
  }

  function statusBody(kind: string, title: string, ...rest: (Node | string | null)[]): HTMLElement {
    const heading = h("h2", { id: "dialog-title", tabindex: "-1" }, title);
    const body = h("div", { class: `dialog-body status ${kind}`, "data-status": kind },
      h("div", { class: "status-icon", "aria-hidden": "true" }, kind === "confirmed" ? "✓" : kind === "rejected" ? "!" : ""),
      heading, ...rest);
    replace(dialog, body);
    focusSoon(heading);
    return body;
  }

  function showPending(type: AppointmentType, providerId: string, start: Date): void {
    statusBody("pending", "Booking requested…",
      h("p", { role: "status" }, `Waiting for ${catalogue.providers.get(providerId)?.name ?? "the provider"}'s calendar to confirm ${type.name.toLowerCase()} on ${formatDateTime(start)}.`));
  }

  function showConfirmed(type: AppointmentType, providerId: string, start: Date, appointmentId: string,
                         series = 0): void {
    const provider = catalogue.providers.get(providerId);
    const rescheduled = Boolean(rescheduleOf);
    statusBody("confirmed", rescheduled ? "Rescheduled" : "You're booked",
      h("p", { role: "status" }, `${type.name} with ${provider?.name ?? providerId}, ${formatDateTime(start)}`
        + (series ? `, and ${series - 1} more weekly (${series} in all).` : ".")),
      h("div", { class: "actions" },
        h("button", {
          class: "btn ghost", type: "button",
          onclick: () => downloadIcs(appointmentId),
        }, "Add to calendar"),
        h("button", { class: "btn ghost", type: "button", onclick: () => dialog.close() }, "Book another"),
        h("button", { class: "btn primary", type: "button", onclick: () => { dialog.close(); go("appointments"); } }, "My appointments")));
    if (rescheduled) choice.onRescheduled();
  }

  function showRejected(reason: string, message: string): void {
    const friendly = REASON_MESSAGES[reason];
    statusBody("rejected", friendly ?? "Not booked",
      h("p", { role: "alert", class: "reject-message" }, message || friendly || "The booking was not accepted."),
      reason ? h("p", { class: "muted small" }, `Reason code: ${reason}`) : null,
      h("div", { class: "actions" },
        h("button", { class: "btn primary", type: "button", onclick: () => dialog.close() }, "Pick another time")));
  }
}
