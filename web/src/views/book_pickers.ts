// The booking screen's first two steps: which service, and with whom. On a
// desktop both lists stay open beside each other; on a phone a chosen step
// folds to a one-line summary with "Change", so that the free times start on
// the first screen.
import { h, replace, focusSoon } from "../dom";
import { activeTypes, catalogue, money, providersFor, type AppointmentType } from "../data";
import { zoneLabel } from "../time";
import { ANY_PROVIDER as ANY, keepProvider, keepType } from "../week";

export interface PickerState {
  typeId: string;
  providerId: string;
  /** A reschedule keeps the service of the appointment it moves. */
  typeLocked: boolean;
}

export interface PickerLayout {
  /** Fold chosen steps into summaries (the phone layout). */
  folding: boolean;
  /** Which folded steps the customer reopened. */
  opened: Set<"type" | "provider">;
}

interface Option {
  value: string;
  title: string;
  meta: string;
  description?: string;
  initials?: string;
  disabled?: boolean;
}

/**
 * One step's list of choices as radio cards, or, when folded, a summary of
 * the chosen one. Choosing with a pointer folds the step again at once;
 * choosing with the arrow keys does not (each arrow press is a choice), so
 * an open step also offers "Done".
 */
function drawStep(el: HTMLElement, step: "type" | "provider", options: Option[], chosen: string,
  layout: PickerLayout, onChoose: (value: string) => void, redraw: () => void): void {
  const name = step === "type" ? "Service" : "Provider";
  const listId = `${step}-options`;
  const toggleId = `${step}-change`;
  const folded = layout.folding && !layout.opened.has(step);
  const setOpen = (open: boolean) => {
    if (open) layout.opened.add(step); else layout.opened.delete(step);
    redraw();
    focusSoon(document.getElementById(open ? listId : toggleId)?.querySelector<HTMLElement>("input:checked") ?? document.getElementById(toggleId));
  };
  if (folded) {
    const current = options.find((o) => o.value === chosen) ?? options[0];
    replace(el, h("div", { class: "picked" },
      current.initials ? h("span", { class: `avatar ${current.value === ANY ? "any" : ""}`, "aria-hidden": "true" }, current.initials) : null,
      h("span", { class: "picked-text" },
        h("span", { class: "sr-only" }, `${name}: `),
        h("span", { class: "choice-title" }, current.title),
        h("span", { class: "choice-meta" }, current.meta)),
      options.filter((o) => !o.disabled).length > 1
        ? h("button", {
            class: "btn small", type: "button", id: toggleId, "aria-expanded": "false", "aria-controls": listId,
            "aria-label": `Change ${name.toLowerCase()}`, onclick: () => setOpen(true),
          }, "Change")
        : null));
    return;
  }
  let byPointer = false;
  const fieldset = h("fieldset", { class: "cards", id: listId, onpointerdown: () => { byPointer = true; } },
    h("legend", { class: "sr-only" }, name),
    options.map((o) => {
      const id = `${step}-${o.value}`;
      return h("div", { class: "choice" },
        h("input", {
          type: "radio", name: step, id, value: o.value, checked: o.value === chosen, disabled: o.disabled,
          onchange: () => {
            onChoose(o.value);
            if (layout.folding && byPointer) setOpen(false);
            byPointer = false;
          },
        }),
        h("label", { for: id, class: o.initials ? "with-avatar" : null },
          o.initials ? h("span", { class: `avatar ${o.value === ANY ? "any" : ""}`, "aria-hidden": "true" }, o.initials) : null,
          h("span", null,
            h("span", { class: "choice-title" }, o.title),
            h("span", { class: "choice-meta" }, o.meta),
            o.description ? h("span", { class: "choice-desc" }, o.description) : null)));
    }));
  replace(el, fieldset,
    layout.folding
      ? h("div", { class: "actions start" },
          h("button", { class: "btn small", type: "button", id: toggleId, "aria-expanded": "true", "aria-controls": listId, onclick: () => setOpen(false) }, "Done"))
      : null);
}

/** Step 1: the services on offer; keeps `state.typeId` on one of them. */
export function drawTypes(el: HTMLElement, state: PickerState, layout: PickerLayout,
  onChange: () => void, redraw: () => void): void {
  if (!catalogue.loaded.types) {
    replace(el, h("p", { class: "muted" }, "Loading services…"));
    return;
  }
  const types = activeTypes();
  if (!types.length) {
    replace(el, h("p", { class: "empty" }, "No services are offered at the moment."));
    return;
  }
  state.typeId = keepType(types.map((t) => t.id), state.typeId);
  drawStep(el, "type", types.map((t: AppointmentType) => ({
    value: t.id, title: t.name, meta: `${t.durationMinutes} min · ${money(t)}`, description: t.description,
    disabled: state.typeLocked && t.id !== state.typeId,
  })), state.typeId, layout, (id) => { state.typeId = id; onChange(); }, redraw);
}

/** Step 2: any provider, or one who offers the chosen service. */
export function drawProviders(el: HTMLElement, state: PickerState, layout: PickerLayout,
  onChange: () => void, redraw: () => void): void {
  if (!catalogue.loaded.providers) {
    replace(el, h("p", { class: "muted" }, "Loading providers…"));
    return;
  }
  const providers = state.typeId ? providersFor(state.typeId) : [];
  if (!providers.length) {
    replace(el, h("p", { class: "empty" }, "Nobody offers this service at the moment."));
    return;
  }
  state.providerId = keepProvider(providers.map((p) => p.id), state.providerId);
  drawStep(el, "provider", [
    { value: ANY, title: "Any provider", meta: "First free provider", initials: "✱" },
    ...providers.map((p) => ({ value: p.id, title: p.name, meta: zoneLabel(p.timeZone), initials: initialsOf(p.name) })),
  ], state.providerId, layout, (id) => { state.providerId = id; onChange(); }, redraw);
}

export function initialsOf(name: string): string {
  const words = name.replace(/^(Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?)\s+/i, "").split(/\s+/).filter(Boolean);
  return (words[0]?.[0] ?? "?").toUpperCase() + (words.length > 1 ? words[words.length - 1][0].toUpperCase() : "");
}
