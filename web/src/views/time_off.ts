// Time off on the working-hours page: the provider's meetings, holidays and
// calendar-feed busy time, live from `timeOff` (with the business's
// closures), and a form to add a meeting or a holiday. Writes go through the
// REST API (POST/DELETE /providers/{id}/time-off), whose answer names the
// booked appointments the new time off overlaps: those stay booked, so the
// page says so. Times are read and written in the provider's zone.
import {
  collection, doc, getDoc, onSnapshot, query, where, type DocumentData, type Query, type Timestamp,
} from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText } from "../dom";
import { callApi } from "../api";
import { zoneLabel } from "../time";
import {
  holiday, meeting, orderTimeOff, spanText, wallOf, addDaysIso, MAX_TITLE, type TimeOffItem,
} from "../time_off";

interface WriteAnswer { id?: string; conflicts?: unknown }

function toItem(id: string, data: DocumentData): TimeOffItem {
  const when = (t: unknown) => (t && typeof (t as Timestamp).toDate === "function" ? (t as Timestamp).toDate() : null);
  return {
    id,
    providerIds: data.providerIds,
    allProviders: data.allProviders === true,
    start: when(data.start),
    end: when(data.end),
    allDay: data.allDay === true,
    startDate: data.startDate ?? null,
    endDate: data.endDate ?? null,
    title: typeof data.title === "string" ? data.title : "",
    source: data.source === "feed" ? "feed" : "manual",
  };
}

/** The appointment ids of a write's `conflicts`, whether it lists ids or objects with one. */
function conflictIds(conflicts: unknown): string[] {
  if (!Array.isArray(conflicts)) return [];
  return conflicts
    .map((c) => (typeof c === "string" ? c : c && typeof c === "object" ? String((c as { id?: string; appointmentId?: string }).appointmentId ?? (c as { id?: string }).id ?? "") : ""))
    .filter(Boolean);
}

export interface Panel { el: HTMLElement; show(providerId: string, zone: string): void; stop(): void }

export function timeOffPanel(): Panel {
  let providerId = "";
  let zone = "UTC";
  let stops: (() => void)[] = [];
  const lists = new Map<string, TimeOffItem[]>();
  let failure = "";

  const zoneNote = h("p", { class: "muted small", id: "time-off-zone" });
  // Not a live region: a feed import may redraw it at any time; the status line announces our own writes.
  const list = h("ul", { class: "time-off-list", id: "time-off-list", "aria-label": "Time off" });
  const status = h("div", { class: "save-status", id: "time-off-status", "aria-live": "polite" });
  const kindBox = h("div", { class: "time-off-fields" });
  const title = h("input", { id: "time-off-title", type: "text", maxlength: String(MAX_TITLE), required: true, autocomplete: "off" });
  const addBtn = h("button", { class: "btn primary", type: "submit", id: "add-time-off" }, "Add time off");
  let kind: "meeting" | "holiday" = "meeting";

  const radio = (value: typeof kind, label: string) => h("span", { class: "radio" },
    h("input", {
      type: "radio", name: "time-off-kind", id: `time-off-kind-${value}`, value, checked: kind === value,
      onchange: () => { kind = value; drawFields(); },
    }),
    h("label", { for: `time-off-kind-${value}` }, label));

  const form = h("form", { class: "time-off-form stack", novalidate: true, "aria-labelledby": "time-off-add-title" },
    h("h3", { id: "time-off-add-title" }, "Add time off"),
    h("fieldset", { class: "kind" }, h("legend", null, "Kind"), radio("meeting", "Meeting (from–to on one date)"), radio("holiday", "Holiday (whole days)")),
    h("div", { class: "field" }, h("label", { for: "time-off-title" }, "Title"),
      h("span", { class: "hint", id: "time-off-title-hint" }, "Private: customers only see that the times are taken."), title),
    kindBox,
    h("div", { class: "actions start" }, addBtn));
  title.setAttribute("aria-describedby", "time-off-title-hint");
  form.addEventListener("submit", (event) => { event.preventDefault(); void add(); });

  const el = h("section", { class: "card", "aria-labelledby": "time-off-title-h" },
    h("h2", { id: "time-off-title-h" }, "Time off"),
    h("p", { class: "muted intro" }, "Meetings, holidays and busy time from the calendar feed. No one can book during them; appointments already booked stay, and are flagged."),
    zoneNote, list, form, status);

  const input = (id: string, type: string, label: string, value: string) => h("div", { class: "field" },
    h("label", { for: id }, label), h("input", { id, type, value, required: true }));

  function today(): string {
    return wallOf(new Date(), zone).date;
  }

  function drawFields(): void {
    const day = addDaysIso(today(), 1);
    replace(kindBox, kind === "meeting"
      ? h("div", { class: "row-fields" },
          input("time-off-date", "date", "Date", day),
          input("time-off-from", "time", "From", "14:00"),
          input("time-off-to", "time", "To", "15:00"))
      : h("div", { class: "row-fields" },
          input("time-off-first", "date", "First day", day),
          input("time-off-last", "date", "Last day", day)));
  }

  const value = (id: string) => (form.querySelector<HTMLInputElement>(`#${id}`)?.value ?? "");

  function drawList(): void {
    const all = [...new Map([...lists.values()].flat().map((i) => [i.id, i])).values()];
    if (failure) {
      replace(list, h("li", { class: "form-error", role: "alert" }, `Could not load time off: ${failure}`));
      return;
    }
    if (!all.length) {
      replace(list, h("li", { class: "empty small" }, "No time off."));
      return;
    }
    replace(list, orderTimeOff(all, zone, new Date()).map(({ item, past }) => {
      const feed = item.source === "feed";
      const shared = item.allProviders === true || (item.providerIds?.length ?? 0) > 1;
      const origin = item.allProviders ? "Closure (all providers)"
        : shared ? `Shared with ${(item.providerIds?.length ?? 1) - 1} other provider(s)`
          : feed ? "From the calendar feed" : "Added here";
      const span = spanText(item, zone);
      const name = item.title || (feed ? "Busy" : "Time off");
      return h("li", { class: `time-off${past ? " past" : ""}${feed ? " feed" : ""}`, dataset: { id: item.id, source: item.source ?? "manual" } },
        h("div", { class: "time-off-main" },
          h("strong", { class: "time-off-name" }, name),
          h("span", { class: "time-off-span" }, span),
          h("span", { class: "muted small" }, past ? `${origin} · past` : origin)),
        feed || shared
          // Closures and shared time off change for every provider at once: admins do that at /time-off.
          ? h("span", { class: "muted small read-only" }, feed ? "Read-only: change it in the calendar" : "Read-only here")
          : h("button", {
              class: "btn ghost small danger", type: "button", "aria-label": `Delete ${name}, ${span}`,
              onclick: (e: Event) => void remove(item, e.currentTarget as HTMLButtonElement),
            }, "Delete"));
    }));
  }

  function watch(): void {
    const { db } = svc();
    const listen = (key: string, q: Query) => onSnapshot(q, (snap) => {
      failure = "";
      lists.set(key, snap.docs.map((d) => toItem(d.id, d.data())));
      drawList();
    }, (e: Error) => { failure = errorText(e); drawList(); });
    const ref = collection(db, "timeOff");
    stops.push(listen("own", query(ref, where("providerIds", "array-contains", providerId))));
    // Closures apply to every provider, so their staff see them too (read-only here).
    stops.push(listen("closures", query(ref, where("allProviders", "==", true))));
  }

  async function conflictLines(ids: string[]): Promise<HTMLElement[]> {
    const { db } = svc();
    return Promise.all(ids.map(async (id) => {
      try {
        const snap = await getDoc(doc(db, "appointments", id));
        const a = snap.data() as { start?: Timestamp; end?: Timestamp; typeName?: string } | undefined;
        if (a?.start && a.end) {
          const text = spanText({ id, start: a.start.toDate(), end: a.end.toDate() }, zone);
          return h("li", { dataset: { appointment: id } }, `${a.typeName ?? "Appointment"}, ${text}`);
        }
      } catch {
        /* the id alone still tells which appointment it is */
      }
      return h("li", { dataset: { appointment: id } }, `Appointment ${id}`);
    }));
  }

  async function add(): Promise<void> {
    const checked = kind === "meeting"
      ? meeting({ date: value("time-off-date"), from: value("time-off-from"), to: value("time-off-to"), title: title.value }, zone)
      : holiday({ from: value("time-off-first"), to: value("time-off-last"), title: title.value });
    if (!checked.body) {
      replace(status, h("div", { class: "form-error", role: "alert" }, h("ul", null, checked.errors.map((p) => h("li", null, p)))));
      focusSoon(title.value.trim() ? kindBox.querySelector<HTMLInputElement>("input") : title);
      return;
    }
    const forProvider = providerId;
    addBtn.disabled = true;
    replace(status, h("p", { class: "muted", role: "status" }, "Adding…"));
    try {
      const result = await callApi<WriteAnswer>("POST", `/providers/${encodeURIComponent(forProvider)}/time-off`, checked.body);
      if (!result.ok) {
        replace(status, h("div", { class: "form-error validation", role: "alert" },
          h("strong", null, `Not added: ${result.detail}`),
          result.errors.length ? h("ul", null, result.errors.map((e) => h("li", null, e))) : null));
        return;
      }
      title.value = "";
      const ids = conflictIds(result.data.conflicts);
      if (!ids.length) {
        replace(status, h("p", { class: "ok", role: "status" }, "✓ Time off added. Free times are being updated."));
        return;
      }
      replace(status, h("div", { class: "banner info conflicts", role: "alert" },
        h("strong", null, `⚠ Time off added, but it overlaps ${ids.length} booked appointment${ids.length === 1 ? "" : "s"}. They stay booked: move or cancel them if needed.`),
        h("ul", null, await conflictLines(ids))));
    } catch (e) {
      replace(status, h("p", { class: "form-error", role: "alert" }, `Not added: ${errorText(e)}`));
    } finally {
      addBtn.disabled = false;
    }
  }

  async function remove(item: TimeOffItem, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const result = await callApi<unknown>("DELETE", `/providers/${encodeURIComponent(providerId)}/time-off/${encodeURIComponent(item.id)}`);
      if (!result.ok && result.status !== 404) {
        button.disabled = false;
        replace(status, h("p", { class: "form-error", role: "alert" }, `Not deleted: ${result.detail}`));
        return;
      }
      replace(status, h("p", { class: "ok", role: "status" }, `✓ Deleted “${item.title || "time off"}”. Free times are being updated.`));
      focusSoon(title);
    } catch (e) {
      button.disabled = false;
      replace(status, h("p", { class: "form-error", role: "alert" }, `Not deleted: ${errorText(e)}`));
    }
  }

  function stop(): void {
    stops.forEach((s) => s());
    stops = [];
    lists.clear();
  }

  return {
    el,
    show(id: string, inZone: string): void {
      if (id === providerId && inZone === zone) return;
      const zoneOnly = id === providerId;
      providerId = id;
      zone = inZone;
      replace(zoneNote, "Times in the provider's zone: ", h("strong", null, zoneLabel(zone)), ".");
      if (!zoneOnly) {
        stop();
        failure = "";
        replace(status);
        replace(list, h("li", { class: "muted small" }, "Loading time off…"));
        drawFields();
        watch();
      } else {
        drawList();
      }
    },
    stop,
  };
}
