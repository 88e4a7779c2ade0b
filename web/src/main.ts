import "./style.css";
import { signOut } from "firebase/auth";
import { connect, svc } from "./firebase";
import { h, replace, focusSoon, errorText } from "./dom";
import { session, onSession, startSession } from "./data";
import { bookView } from "./views/book";
import { appointmentsView } from "./views/appointments";
import { adminView } from "./views/admin";
import { scheduleView } from "./views/schedule";
import { signInView } from "./views/signin";
import { accountView } from "./views/account";
import { go } from "./router";

export type View = (root: HTMLElement, params: URLSearchParams) => (() => void) | void;

const routes: Record<string, { title: string; view: View; nav?: string; needs?: "user" | "admin" }> = {
  book: { title: "Book an appointment", view: bookView, nav: "Book" },
  appointments: { title: "My appointments", view: appointmentsView, nav: "My appointments", needs: "user" },
  schedule: { title: "Schedule", view: scheduleView, nav: "Schedule", needs: "admin" },
  admin: { title: "Working hours", view: adminView, nav: "Working hours", needs: "admin" },
  account: { title: "My account", view: accountView, nav: "My account", needs: "user" },
  signin: { title: "Sign in", view: signInView },
};

let cleanup: (() => void) | void;

function current(): { name: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, "");
  const cut = hash.indexOf("?");
  const name = cut < 0 ? hash : hash.slice(0, cut);
  const search = cut < 0 ? "" : hash.slice(cut + 1);
  return { name: routes[name] ? name : "book", params: new URLSearchParams(search ?? "") };
}


function canSee(needs?: "user" | "admin"): boolean {
  if (!needs) return true;
  if (!session.user) return false;
  return needs === "user" || session.admin || session.staffOf !== null;
}

function renderChrome(): void {
  const { name } = current();
  const nav = document.getElementById("nav")!;
  replace(nav, h("ul", null, Object.entries(routes)
    .filter(([, r]) => r.nav && canSee(r.needs))
    .map(([key, r]) => h("li", null, h("a", { href: `#/${key}`, "aria-current": key === name ? "page" : null }, r.nav!)))));
  const account = document.getElementById("account")!;
  if (session.user) {
    const label = session.profile?.name ?? session.user.email ?? "Signed in";
    replace(account,
      h("span", { class: "who", title: session.user.email ?? "" },
        h("span", { class: "avatar", "aria-hidden": "true" }, label.trim().charAt(0).toUpperCase()),
        h("span", { class: "who-name" }, label),
        session.admin ? h("span", { class: "role" }, "admin") : session.staffOf ? h("span", { class: "role" }, "staff") : null),
      h("button", {
        class: "btn ghost small", type: "button",
        onclick: async () => { await signOut(svc().auth); go("book"); },
      }, "Sign out"));
  } else {
    replace(account, h("a", { class: "btn small", href: "#/signin" }, "Sign in"));
  }
}

function render(): void {
  const { name, params } = current();
  const route = routes[name];
  if (cleanup) cleanup();
  cleanup = undefined;
  renderChrome();
  const main = document.getElementById("main")!;
  main.replaceChildren();
  document.title = `${route.title} · Booking`;
  if (!canSee(route.needs)) {
    if (!session.user) {
      go(`signin?next=${encodeURIComponent(location.hash.replace(/^#\/?/, ""))}`);
      return;
    }
    replace(main, h("section", { class: "panel narrow" },
      h("h1", null, "Not available"),
      h("p", null, "This page is for administrators and provider staff."),
      h("a", { class: "btn", href: "#/book" }, "Back to booking")));
    return;
  }
  cleanup = route.view(main, params);
  focusSoon(main.querySelector("h1") as HTMLElement | null);
}

async function start(): Promise<void> {
  const main = document.getElementById("main")!;
  try {
    await connect();
    await startSession();
  } catch (error) {
    replace(main, h("section", { class: "panel narrow error-state", role: "alert" },
      h("h1", null, "The booking service is unavailable"),
      h("p", null, errorText(error))));
    return;
  }
  window.addEventListener("hashchange", render);
  let lastUid: string | null | undefined;
  let lastRole = "";
  onSession(() => {
    const uid = session.user?.uid ?? null;
    const role = `${session.admin}/${session.staffOf}`;
    if (uid !== lastUid || role !== lastRole) {
      lastUid = uid;
      lastRole = role;
      render();
    } else {
      renderChrome();
    }
  });
  lastUid = session.user?.uid ?? null;
  lastRole = `${session.admin}/${session.staffOf}`;
  render();
}

void start();
