// "My appointments": upcoming and past, live; cancel with a reason before
// the cutoff, reschedule (a new request with rescheduleOf), add to calendar.
import { collection, doc, onSnapshot, query, updateDoc, where } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText, toast } from "../dom";
import { catalogue, session, type Appointment } from "../data";
import { browserZone, formatDateTime, formatDayShort, formatTime, zoneLabel } from "../time";
import { go } from "../router";
import { downloadIcs } from "./calendar";
import { initialsOf } from "./book_pickers";
import { myWaitlist } from "./waitlist";
import { groupedBySeries } from "./book_repeat";

const STATUS_LABEL: Record<string, string> = {
  confirmed: "Confirmed",
  cancelled: "Cancelled",
  completed: "Completed",
  no_show: "Missed",
};

export function appointmentsView(root: HTMLElement): () => void {
  const user = session.user!;
  const upcoming = h("div", { class: "appt-list", id: "upcoming" });
  const past = h("div", { class: "appt-list", id: "past" });
  const dialog = h("dialog", { class: "dialog", "aria-labelledby": "dialog-title" });
  dialog.addEventListener("close", () => replace(dialog));
  let items: Appointment[] = [];
  let loaded = false;
  let failure = "";
  let timer = 0;
  const waiting = myWaitlist(user.uid);

  replace(root, h("section", { class: "page" },
    h("div", { class: "page-head row" },
      h("div", null,
        h("h1", null, "My appointments"),
        h("p", { class: "lede" }, "Times in your time zone: ", h("strong", null, zoneLabel(browserZone)))),
      h("a", { class: "btn primary", href: "#/book" }, "Book an appointment")),
    h("section", { class: "card", "aria-labelledby": "upcoming-title" },
      h("h2", { id: "upcoming-title" }, "Upcoming"), upcoming),
    waiting.el,
    h("section", { class: "card", "aria-labelledby": "past-title" },
      h("h2", { id: "past-title" }, "Past and cancelled"), past),
    dialog));

  function typeName(a: Appointment): string {
    return a.typeName || catalogue.types.get(a.appointmentTypeId)?.name || "Appointment";
  }
  function providerName(a: Appointment): string {
    return a.providerName || catalogue.providers.get(a.providerId)?.name || a.providerId;
  }

  function card(a: Appointment, isUpcoming: boolean): HTMLElement {
    const start = a.start.toDate();
    const end = a.end.toDate();
    const cutoff = a.cancellableUntil?.toDate();
    const canChange = isUpcoming && a.status === "confirmed" && (!cutoff || cutoff.getTime() > Date.now());
    const actions = isUpcoming && a.status === "confirmed"
      ? h("div", { class: "appt-actions" },
          h("button", {
            class: "btn ghost small", type: "button",
            onclick: () => downloadIcs(a.id),
          }, "Add to calendar"),
          canChange ? h("button", {
            class: "btn ghost small", type: "button",
            onclick: () => go(`book?rescheduleOf=${encodeURIComponent(a.id)}&type=${encodeURIComponent(a.appointmentTypeId)}`
              + `&provider=${encodeURIComponent(a.providerId)}`),
          }, "Reschedule") : null,
          canChange ? h("button", {
            class: "btn danger small", type: "button", onclick: () => openCancel(a),
          }, "Cancel") : null)
      : null;
    return h("article", {
      class: `appt ${a.status}`, dataset: { id: a.id, status: a.status },
      "aria-label": `${typeName(a)}, ${formatDateTime(start)}, ${STATUS_LABEL[a.status] ?? a.status}`,
    },
      h("div", { class: "appt-date", "aria-hidden": "true" },
        h("span", { class: "dow" }, formatDayShort(start)),
        h("span", { class: "daynum" }, String(start.getDate())),
        h("span", { class: "mon" }, start.toLocaleString(undefined, { month: "short" }))),
      h("div", { class: "appt-main" },
        h("h3", null, typeName(a), " ", h("span", { class: `badge ${a.status}` }, STATUS_LABEL[a.status] ?? a.status)),
        h("p", { class: "appt-when" }, `${formatDateTime(start)} – ${formatTime(end)}`),
        h("p", { class: "appt-with" },
          h("span", { class: "avatar tiny", "aria-hidden": "true" }, initialsOf(providerName(a))), " ", providerName(a)),
        a.status === "cancelled" && a.cancelReason
          ? h("p", { class: "muted small" }, a.rescheduledTo ? "Moved to a new time." : `Reason: ${a.cancelReason}`)
          : null,
        isUpcoming && a.status === "confirmed" && cutoff
          ? h("p", { class: "muted small" }, canChange
              ? `Free cancellation until ${formatDateTime(cutoff)}.`
              : `Changes closed at ${formatDateTime(cutoff)}; please contact us.`)
          : null),
      actions);
  }

  function draw(): void {
    if (failure) {
      replace(upcoming, h("p", { class: "empty error-state", role: "alert" }, failure));
      replace(past);
      return;
    }
    if (!loaded) {
      replace(upcoming, h("p", { class: "muted" }, "Loading…"));
      return;
    }
    const now = Date.now();
    const isUpcoming = (a: Appointment) => a.status === "confirmed" && a.end.toMillis() > now;
    const next = items.filter(isUpcoming).sort((a, b) => a.start.toMillis() - b.start.toMillis());
    const done = items.filter((a) => !isUpcoming(a)).sort((a, b) => b.start.toMillis() - a.start.toMillis());
    replace(upcoming, next.length
      ? groupedBySeries(next, (a) => card(a, true))
      : h("div", { class: "empty" },
          h("p", null, "You have no upcoming appointments."),
          h("a", { class: "btn", href: "#/book" }, "Find a time")));
    replace(past, done.length ? done.map((a) => card(a, false)) : h("p", { class: "empty" }, "Nothing here yet."));
  }

  function openCancel(a: Appointment): void {
    const reason = h("textarea", { id: "cancel-reason", maxlength: "500", rows: "3", placeholder: "e.g. I am unwell" });
    const error = h("p", { class: "form-error", role: "alert" });
    const submit = h("button", { class: "btn danger", type: "submit" }, "Cancel appointment");
    const form = h("form", { class: "dialog-body" },
      h("h2", { id: "dialog-title" }, "Cancel this appointment?"),
      h("p", null, `${typeName(a)} with ${providerName(a)}, ${formatDateTime(a.start.toDate())}.`),
      h("div", { class: "field" }, h("label", { for: "cancel-reason" }, "Reason (optional)"), reason),
      error,
      h("div", { class: "actions" },
        h("button", { class: "btn ghost", type: "button", onclick: () => dialog.close() }, "Keep it"),
        submit));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      submit.disabled = true;
      submit.textContent = "Cancelling…";
      try {
        const change: Record<string, string> = { status: "cancelled" };
        if (reason.value.trim()) change.cancelReason = reason.value.trim();
        await updateDoc(doc(svc().db, "appointments", a.id), change);
        dialog.close();
        toast("Appointment cancelled. The time is free again.");
        focusSoon(root.querySelector<HTMLElement>("#upcoming-title"));
      } catch (e) {
        submit.disabled = false;
        submit.textContent = "Cancel appointment";
        error.textContent = (e as { code?: string }).code === "permission-denied"
          ? "This appointment can no longer be cancelled online (the cancellation deadline has passed)."
          : errorText(e);
      }
    });
    replace(dialog, form);
    dialog.showModal();
    focusSoon(reason);
  }

  const stop = onSnapshot(
    query(collection(svc().db, "appointments"), where("customerId", "==", user.uid)),
    (snap) => {
      items = snap.docs.map((d) => ({ id: d.id, ...(d.data() as Omit<Appointment, "id">) }));
      loaded = true;
      failure = "";
      draw();
    },
    (e) => {
      failure = `Could not load your appointments: ${errorText(e)}`;
      draw();
    });
  // Appointments move from upcoming to past, and cutoffs pass, as time goes by.
  timer = window.setInterval(draw, 60_000);
  draw();
  return () => {
    stop();
    waiting.stop();
    window.clearInterval(timer);
    if (dialog.open) dialog.close();
  };
}
