// The waitlist (issue 18) in the web app: "Join the waitlist" under the
// booking page's times, the customer's active entries (with withdraw) in
// "My appointments", and a provider's waitlist on the staff schedule.
// Entries are written through the rules (firestore.rules, /waitlist);
// the backend books or mails as times free up.
import "./waitlist.css";
import { addDoc, collection, doc, onSnapshot, query, serverTimestamp, updateDoc, where } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText, toast } from "../dom";
import { catalogue, session } from "../data";
import { addDays, browserZone, dayKey, zoneLabel } from "../time";
import { go } from "../router";
import { ANY_PROVIDER } from "../week";

export interface WaitlistEntry {
  id: string;
  customerId: string;
  appointmentTypeId: string;
  providerId?: string;
  firstDay: string;
  lastDay: string;
  after?: string;
  before?: string;
  timeZone: string;
  mode: "book" | "notify";
  status: "waiting" | "offered" | "booked" | "expired" | "withdrawn";
}

const ACTIVE = ["waiting", "offered"];
const MODE_LABEL = { book: "Book it for me", notify: "Tell me" };

function describe(e: WaitlistEntry): string {
  const type = catalogue.types.get(e.appointmentTypeId)?.name ?? e.appointmentTypeId;
  const who = e.providerId ? catalogue.providers.get(e.providerId)?.name ?? e.providerId : "any provider";
  const days = e.firstDay === e.lastDay ? e.firstDay : `${e.firstDay} to ${e.lastDay}`;
  const hours = e.after && e.before ? `, ${e.after}–${e.before}` : e.after ? `, after ${e.after}` : e.before ? `, before ${e.before}` : "";
  return `${type} with ${who}, ${days}${hours}`;
}

/** The "Join the waitlist" line under the free times of a type (and provider, or any). */
export function drawJoinHook(el: HTMLElement, dialog: HTMLDialogElement, choice: { typeId: string; providerId: string; week: Date; returnTo: string }): void {
  if (!choice.typeId) { replace(el); return; }
  replace(el, h("p", { class: "waitlist-hook muted" }, "No time that suits you? ",
    h("button", {
      class: "btn small", type: "button", id: "join-waitlist",
      onclick: () => session.user ? openJoin(dialog, choice) : go(`signin?next=${encodeURIComponent(choice.returnTo)}`),
    }, "Join the waitlist")));
}

function openJoin(dialog: HTMLDialogElement, choice: { typeId: string; providerId: string; week: Date }): void {
  const first = h("input", { id: "wl-first", type: "date", required: true, value: dayKey(choice.week) });
  const last = h("input", { id: "wl-last", type: "date", required: true, value: dayKey(addDays(choice.week, 6)) });
  const after = h("input", { id: "wl-after", type: "time" });
  const before = h("input", { id: "wl-before", type: "time" });
  const book = h("input", { id: "wl-mode-book", type: "radio", name: "wl-mode", value: "book", checked: true });
  const notify = h("input", { id: "wl-mode-notify", type: "radio", name: "wl-mode", value: "notify" });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { class: "btn primary", type: "submit" }, "Join the waitlist");
  const form = h("form", { class: "dialog-body" },
    h("h2", { id: "dialog-title" }, "Join the waitlist"),
    h("p", null, `When a time frees up between these days (in ${zoneLabel(browserZone)}), the longest waiting go first.`),
    h("div", { class: "field" }, h("label", { for: "wl-first" }, "First day"), first),
    h("div", { class: "field" }, h("label", { for: "wl-last" }, "Last day"), last),
    h("div", { class: "field" }, h("label", { for: "wl-after" }, "Starting after (optional)"), after),
    h("div", { class: "field" }, h("label", { for: "wl-before" }, "Starting before (optional)"), before),
    h("fieldset", { class: "field waitlist-modes" }, h("legend", null, "When a time frees up"),
      h("label", null, book, " ", MODE_LABEL.book),
      h("label", null, notify, " ", `${MODE_LABEL.notify} (first to book it gets it)`)),
    error,
    h("div", { class: "actions" },
      h("button", { class: "btn ghost", type: "button", onclick: () => dialog.close() }, "Not now"),
      submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    const entry: Record<string, unknown> = {
      customerId: session.user!.uid, appointmentTypeId: choice.typeId, firstDay: first.value, lastDay: last.value,
      timeZone: browserZone, mode: notify.checked ? "notify" : "book", status: "waiting", createdAt: serverTimestamp(),
    };
    if (choice.providerId && choice.providerId !== ANY_PROVIDER) entry.providerId = choice.providerId;
    if (after.value) entry.after = after.value;
    if (before.value) entry.before = before.value;
    try {
      await addDoc(collection(svc().db, "waitlist"), entry);
      dialog.close();
      toast("You are on the waitlist. See it in My appointments.");
    } catch (e) {
      submit.disabled = false;
      error.textContent = (e as { code?: string }).code === "permission-denied"
        ? "Please check the days (at most 92) and the times (before must be later than after)."
        : errorText(e);
    }
  });
  replace(dialog, form);
  dialog.showModal();
  focusSoon(first);
}

function entryCard(e: WaitlistEntry, withdraw?: (e: WaitlistEntry) => void): HTMLElement {
  return h("article", { class: "appt waitlist", dataset: { id: e.id, status: e.status }, "aria-label": describe(e) },
    h("div", { class: "appt-main" },
      h("h3", null, describe(e), " ", h("span", { class: "badge" }, MODE_LABEL[e.mode])),
      h("p", { class: "muted small" }, e.status === "offered" ? "A freed time is being booked for you…" : "Waiting")),
    withdraw ? h("div", { class: "appt-actions" },
      h("button", { class: "btn ghost small", type: "button", onclick: () => withdraw(e) }, "Withdraw")) : null);
}

function watch(where_: ReturnType<typeof where>, draw: (items: WaitlistEntry[] | string) => void): () => void {
  return onSnapshot(query(collection(svc().db, "waitlist"), where_), (snap) => {
    draw(snap.docs.map((d) => ({ id: d.id, ...(d.data() as Omit<WaitlistEntry, "id">) }))
      .filter((e) => ACTIVE.includes(e.status)));
  }, (e) => draw(`Could not load the waitlist: ${errorText(e)}`));
}

/** "My appointments": the customer's active entries, each with withdraw. */
export function myWaitlist(uid: string): { el: HTMLElement; stop: () => void } {
  const list = h("div", { class: "appt-list", id: "waitlist" });
  const el = h("section", { class: "card", "aria-labelledby": "waitlist-title" }, h("h2", { id: "waitlist-title" }, "Waitlist"), list);
  const withdraw = async (e: WaitlistEntry) => {
    try {
      await updateDoc(doc(svc().db, "waitlist", e.id), { status: "withdrawn" });
      toast("Withdrawn from the waitlist.");
    } catch (error) {
      toast(`Could not withdraw: ${errorText(error)}`);
    }
  };
  const stop = watch(where("customerId", "==", uid), (items) => replace(list, typeof items === "string"
    ? h("p", { class: "empty error-state", role: "alert" }, items)
    : items.length ? items.map((e) => entryCard(e, withdraw)) : h("p", { class: "empty" }, "You are not waiting for any time.")));
  return { el, stop };
}

/** The staff schedule: the active entries naming one provider, oldest first. */
export function providerWaitlist(providerId: string): { el: HTMLElement; stop: () => void } {
  const list = h("div", { class: "appt-list", id: "provider-waitlist" });
  const el = h("section", { class: "card", "aria-labelledby": "provider-waitlist-title" },
    h("h2", { id: "provider-waitlist-title" }, "Waitlist"), list);
  const stop = watch(where("providerId", "==", providerId), (items) => replace(list, typeof items === "string"
    ? h("p", { class: "empty error-state", role: "alert" }, items)
    : items.length ? items.map((e) => entryCard(e)) : h("p", { class: "empty" }, "Nobody is waiting.")));
  return { el, stop };
}
