// Working hours for admins (any provider) and provider staff (their own):
// weekly hours and date overrides, saved through the backend's REST API
// (PUT /providers/{id}/availability), which validates them (a 422 lists the
// problems) and recomputes the free times. The stored document is watched
// for its `validation` verdict, which also covers hours written elsewhere.
import { doc, onSnapshot, type Timestamp } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText } from "../dom";
import { catalogue, onCatalogue, session, type Provider } from "../data";
import { addDays, dayKey, zoneLabel } from "../time";
import { timeOffPanel } from "./time_off";
import { calendarFeedPanel } from "./calendar_feed";

interface Interval { start: string; end: string }
interface Override { date: string; intervals: Interval[] }
interface AvailabilityDoc {
  providerId: string;
  timeZone?: string | null;
  weekly?: Record<string, Interval[]>;
  overrides?: Override[];
  validation?: { ok: boolean; errors?: string[]; checkedAt?: Timestamp };
}

const DAYS: [string, string][] = [
  ["mon", "Monday"], ["tue", "Tuesday"], ["wed", "Wednesday"], ["thu", "Thursday"],
  ["fri", "Friday"], ["sat", "Saturday"], ["sun", "Sunday"],
];

/** "body.weekly.mon.1.end" -> "Monday, hours 2, end". */
function fieldName(path: string): string {
  const names = Object.fromEntries(DAYS);
  const parts = path.replace(/^body\./, "").split(".");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const prev = parts[i - 1];
    if (part === "weekly" || part === "intervals") continue;
    if (names[part]) out.push(names[part]);
    else if (/^\d+$/.test(part)) out.push(prev === "overrides" ? `override ${Number(part) + 1}` : `hours ${Number(part) + 1}`);
    else if (part !== "overrides") out.push(part);
  }
  return out.join(", ") || path;
}

export function adminView(root: HTMLElement): () => void {
  const mine = (p: Provider) => session.admin || p.id === session.staffOf;
  let providerId = "";
  let stored: AvailabilityDoc | null = null;
  let weekly: Record<string, Interval[]> = {};
  let overrides: Override[] = [];
  let dirty = false;
  let savedAt = 0;
  let stopDoc: (() => void) | null = null;
  // Time off and the calendar feed are separate forms with their own saves.
  const panels = [timeOffPanel(), calendarFeedPanel()];

  const picker = h("div", { class: "field inline" });
  const status = h("div", { class: "save-status", id: "save-status", "aria-live": "polite" });
  const weeklyBox = h("div", { class: "weekly" });
  const overridesBox = h("div", { class: "overrides" });
  const saveBtn = h("button", { class: "btn primary", type: "submit", id: "save-hours" }, "Save hours");
  const form = h("form", { class: "stack", novalidate: true },
    h("section", { class: "card", "aria-labelledby": "weekly-title" },
      h("h2", { id: "weekly-title" }, "Weekly hours"),
      h("p", { class: "muted" }, "Several ranges per day make breaks (e.g. 09:00–12:30 and 13:30–17:00). An end at or before the start runs past midnight."),
      weeklyBox),
    h("section", { class: "card", "aria-labelledby": "overrides-title" },
      h("h2", { id: "overrides-title" }, "Date overrides"),
      h("p", { class: "muted" }, "Special hours or a closed day on one date; they replace that date's weekly hours."),
      overridesBox),
    h("div", { class: "sticky-actions" }, status, saveBtn));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
  });
  form.addEventListener("input", () => { dirty = true; });

  replace(root, h("section", { class: "page admin" },
    h("div", { class: "page-head row" },
      h("div", null,
        h("h1", null, "Working hours"),
        h("p", { class: "lede" }, "Hours are in the provider's own time zone. Free times update a moment after saving.")),
      picker),
    form,
    panels.map((p) => p.el)));

  function providers(): Provider[] {
    return [...catalogue.providers.values()].filter(mine).sort((a, b) => a.name.localeCompare(b.name));
  }

  function drawPicker(): void {
    const list = providers();
    if (!list.length) {
      replace(picker, h("p", { class: "muted" }, catalogue.loaded.providers ? "No providers yet." : "Loading providers…"));
      return;
    }
    if (!providerId || !list.some((p) => p.id === providerId)) select(list[0].id);
    const current = catalogue.providers.get(providerId);
    replace(picker,
      h("label", { for: "provider-select" }, "Provider"),
      h("select", {
        id: "provider-select",
        onchange: (e: Event) => select((e.target as HTMLSelectElement).value),
      }, list.map((p) => h("option", { value: p.id, selected: p.id === providerId }, p.active ? p.name : `${p.name} (inactive)`))),
      current ? h("span", { class: "muted small" }, zoneLabel(current.timeZone)) : null);
    if (current) panels.forEach((p) => p.show(current.id, current.timeZone));
  }

  function select(id: string): void {
    if (id === providerId) return;
    providerId = id;
    dirty = false;
    stored = null;
    replace(status);
    stopDoc?.();
    stopDoc = onSnapshot(doc(svc().db, "availability", id), (snap) => {
      stored = snap.exists() ? (snap.data() as AvailabilityDoc) : { providerId: id };
      if (!dirty) {
        weekly = structuredClone(stored.weekly ?? {});
        overrides = structuredClone(stored.overrides ?? []).map((o) => ({ date: o.date, intervals: o.intervals ?? [] }));
        drawEditor();
      }
      drawVerdict();
    }, (e) => {
      replace(status, h("p", { class: "form-error", role: "alert" }, errorText(e)));
    });
    drawPicker();
  }

  function intervalRow(list: Interval[], index: number, label: string, redraw: () => void): HTMLElement {
    const item = list[index];
    const onTime = (key: "start" | "end") => (e: Event) => { item[key] = (e.target as HTMLInputElement).value; };
    return h("div", { class: "interval" },
      h("input", { type: "time", value: item.start, "aria-label": `${label} from`, required: true, onchange: onTime("start") }),
      h("span", { "aria-hidden": "true" }, "–"),
      h("input", { type: "time", value: item.end === "24:00" ? "00:00" : item.end, "aria-label": `${label} until`, required: true, onchange: onTime("end") }),
      h("button", {
        class: "icon-btn", type: "button", "aria-label": `Remove ${label} ${item.start}–${item.end}`, title: "Remove",
        onclick: () => { list.splice(index, 1); dirty = true; redraw(); },
      }, "×"));
  }

  function drawWeekly(): void {
    replace(weeklyBox, DAYS.map(([key, name]) => {
      const list = (weekly[key] ??= []);
      const redraw = () => { drawWeekly(); focusSoon(weeklyBox.querySelector<HTMLElement>(`[data-day="${key}"] .add`)); };
      return h("div", { class: "day-row", dataset: { day: key } },
        h("div", { class: "day-name", id: `day-${key}` }, name),
        h("div", { class: "intervals", role: "group", "aria-labelledby": `day-${key}` },
          list.length ? list.map((_, i) => intervalRow(list, i, name, redraw)) : h("span", { class: "closed" }, "Closed"),
          h("button", {
            class: "btn ghost small add", type: "button", "aria-label": `Add hours on ${name}`,
            onclick: () => {
              const last = list[list.length - 1];
              list.push(last ? { start: last.end === "24:00" ? "18:00" : last.end, end: "18:00" } : { start: "09:00", end: "17:00" });
              dirty = true;
              drawWeekly();
              const inputs = weeklyBox.querySelectorAll<HTMLInputElement>(`[data-day="${key}"] input`);
              focusSoon(inputs[inputs.length - 2]);
            },
          }, "+ Add")));
    }));
  }

  function drawOverrides(): void {
    const rows = overrides.map((o, index) => {
      const label = `Override ${index + 1}`;
      const redraw = () => drawOverrides();
      const closed = o.intervals.length === 0;
      return h("div", { class: "override-row", dataset: { index: String(index) } },
        h("input", {
          type: "date", value: o.date, "aria-label": `${label} date`, required: true,
          onchange: (e: Event) => { o.date = (e.target as HTMLInputElement).value; },
        }),
        h("div", { class: "intervals" },
          closed ? h("span", { class: "closed" }, "Closed all day") : o.intervals.map((_, i) => intervalRow(o.intervals, i, `${label}`, redraw)),
          h("button", {
            class: "btn ghost small", type: "button",
            onclick: () => { o.intervals.push({ start: "10:00", end: "14:00" }); dirty = true; drawOverrides(); },
          }, closed ? "Open some hours" : "+ Add")),
        h("button", {
          class: "btn ghost small", type: "button", "aria-label": `Remove ${label} (${o.date})`,
          onclick: () => { overrides.splice(index, 1); dirty = true; drawOverrides(); focusSoon(overridesBox.querySelector<HTMLElement>(".add-override")); },
        }, "Remove"));
    });
    replace(overridesBox,
      rows.length ? rows : h("p", { class: "empty small" }, "No overrides."),
      h("button", {
        class: "btn ghost small add-override", type: "button",
        onclick: () => {
          const used = new Set(overrides.map((o) => o.date));
          let day = addDays(new Date(), 1);
          while (used.has(dayKey(day))) day = addDays(day, 1);
          overrides.push({ date: dayKey(day), intervals: [] });
          dirty = true;
          drawOverrides();
          focusSoon(overridesBox.querySelector<HTMLElement>(`[data-index="${overrides.length - 1}"] input`));
        },
      }, "+ Add a date"));
  }

  function drawEditor(): void {
    drawWeekly();
    drawOverrides();
  }

  function drawVerdict(): void {
    const v = stored?.validation;
    if (!v) {
      if (savedAt) replace(status, h("p", { class: "muted", role: "status" }, "Saved. Checking…"));
      return;
    }
    const fresh = !savedAt || (v.checkedAt && v.checkedAt.toMillis() >= savedAt - 5_000);
    if (!fresh) return;
    if (v.ok) {
      if (savedAt) replace(status, h("p", { class: "ok", role: "status" }, "✓ Saved and applied. Free times are being updated."));
    } else {
      replace(status, h("div", { class: "form-error validation", role: "alert" },
        h("strong", null, savedAt ? "Not applied: the backend rejected these hours." : "The stored hours are not applied:"),
        h("ul", null, (v.errors ?? []).map((e) => h("li", null, e)))));
    }
  }

  function localProblems(): string[] {
    const problems: string[] = [];
    const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
    for (const [key, name] of DAYS) {
      for (const i of weekly[key] ?? []) {
        if (!hhmm.test(i.start) || !(hhmm.test(i.end) || i.end === "24:00")) problems.push(`${name}: enter both times.`);
      }
    }
    overrides.forEach((o, n) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date)) problems.push(`Override ${n + 1}: choose a date.`);
      for (const i of o.intervals) {
        if (!hhmm.test(i.start) || !hhmm.test(i.end)) problems.push(`Override ${n + 1} (${o.date}): enter both times.`);
      }
    });
    return problems;
  }

  async function save(): Promise<void> {
    const problems = localProblems();
    if (problems.length) {
      replace(status, h("div", { class: "form-error", role: "alert" }, h("ul", null, problems.map((p) => h("li", null, p)))));
      return;
    }
    const cleanWeekly = Object.fromEntries(DAYS.map(([k]) => [k, weekly[k] ?? []]).filter(([, l]) => (l as Interval[]).length));
    const body = { weekly: cleanWeekly, overrides: overrides.map((o) => ({ date: o.date, intervals: o.intervals })) };
    saveBtn.disabled = true;
    saveBtn.textContent = "Saving…";
    replace(status, h("p", { class: "muted", role: "status" }, "Saving…"));
    try {
      savedAt = Date.now();
      const token = await session.user!.getIdToken();
      const response = await fetch(`/providers/${encodeURIComponent(providerId)}/availability`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const problem = await response.json().catch(() => ({})) as { detail?: string; errors?: { field?: string; message: string }[] };
        const list = (problem.errors ?? []).map((e) => (e.field ? `${fieldName(e.field)}: ${e.message}` : e.message));
        replace(status, h("div", { class: "form-error validation", role: "alert" },
          h("strong", null, problem.detail ?? `Not saved (HTTP ${response.status}).`),
          list.length ? h("ul", null, list.map((e) => h("li", null, e))) : null));
        return;
      }
      savedAt = 0;
      dirty = false;
      replace(status, h("p", { class: "ok", role: "status" }, "✓ Saved and applied. Free times are being updated."));
    } catch (e) {
      replace(status, h("p", { class: "form-error", role: "alert" }, `Not saved: ${errorText(e)}`));
    } finally {
      saveBtn.disabled = false;
      saveBtn.textContent = "Save hours";
    }
  }

  const off = onCatalogue(drawPicker);
  drawPicker();
  return () => {
    off();
    stopDoc?.();
    panels.forEach((p) => p.stop());
  };
}
