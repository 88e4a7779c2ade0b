// A tiny DOM builder: h("button", { class: "x", onclick: fn }, "Label").
type Child = Node | string | number | null | undefined | false | Child[];
type Props = Record<string, unknown> | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2), value as EventListener);
      } else if (key === "class") {
        el.className = String(value);
      } else if (key === "dataset") {
        Object.assign(el.dataset, value as Record<string, string>);
      } else if (key === "value" && "value" in el) {
        (el as unknown as { value: string }).value = String(value);
      } else if (key === "checked" || key === "disabled" || key === "selected" || key === "required" || key === "hidden") {
        (el as unknown as Record<string, boolean>)[key] = Boolean(value);
        if (key !== "checked" && key !== "selected") el.setAttribute(key, "");
      } else if (value === true) {
        el.setAttribute(key, "");
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Saves `blob` as a download named `name` (a file the backend made: .ics, the data export). */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

let toastTimer: number | undefined;
export function toast(message: string): void {
  const box = document.getElementById("toast");
  if (!box) return;
  box.textContent = message;
  box.classList.add("show");
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => box.classList.remove("show"), 4000);
}

/** Focus an element after the current render (for keyboard and screen-reader users). */
export function focusSoon(el: HTMLElement | null | undefined): void {
  if (!el) return;
  requestAnimationFrame(() => {
    if (!el.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  });
}

export function errorText(error: unknown): string {
  if (error && typeof error === "object" && "code" in error) {
    const code = String((error as { code: string }).code);
    const known: Record<string, string> = {
      "auth/invalid-credential": "That email and password do not match an account.",
      "auth/wrong-password": "That email and password do not match an account.",
      "auth/user-not-found": "That email and password do not match an account.",
      "auth/invalid-email": "Please enter a valid email address.",
      "auth/email-already-in-use": "An account with this email already exists. Sign in instead.",
      "auth/weak-password": "Choose a password of at least 6 characters.",
      "auth/missing-password": "Please enter your password.",
      "auth/too-many-requests": "Too many attempts. Please wait a moment and try again.",
      "auth/network-request-failed": "Could not reach the sign-in service. Check your connection.",
      "permission-denied": "You are not allowed to do that.",
      "unavailable": "The service is unreachable right now. Please try again.",
    };
    if (known[code]) return known[code];
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
