// Firebase bootstrap: the web config comes from Firebase Hosting's reserved
// URL /__/firebase/init.json (served by the Hosting emulator for demo-*
// projects and by real Hosting for a deployed project). Served from
// localhost, the app connects to the Auth and Firestore emulators whose
// ports the Hosting emulator announces in /__/firebase/init.js?useEmulator=true,
// so a suite started with shifted ports needs no rebuild.
//
// App Check starts only when the build names a reCAPTCHA site key
// (VITE_APPCHECK_SITE_KEY); its code is then loaded as a separate chunk, so
// builds without one carry none of it.
import { initializeApp, type FirebaseApp, type FirebaseOptions } from "firebase/app";
import {
  browserLocalPersistence,
  browserSessionPersistence,
  connectAuthEmulator,
  indexedDBLocalPersistence,
  initializeAuth,
  type Auth,
} from "firebase/auth";
import { connectFirestoreEmulator, initializeFirestore, type Firestore } from "firebase/firestore";

export interface Services {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  emulated: boolean;
}

interface EmulatorInfo {
  host: string;
  port: number;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLocal(): boolean {
  return LOCAL_HOSTS.has(location.hostname);
}

async function fetchJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) return null;
    return (await response.json()) as T;
  } catch {
    return null;
  }
}

async function webConfig(): Promise<FirebaseOptions> {
  // A build-time config wins (hosting the app somewhere other than Firebase Hosting).
  const built = import.meta.env.VITE_FIREBASE_CONFIG as string | undefined;
  if (built) return JSON.parse(built) as FirebaseOptions;
  const served = await fetchJson<FirebaseOptions>("/__/firebase/init.json");
  if (served && served.projectId) return served;
  if (isLocal()) return { projectId: "demo-booking", apiKey: "fake-api-key", authDomain: "localhost" };
  throw new Error("No Firebase web configuration: deploy with Firebase Hosting or set VITE_FIREBASE_CONFIG at build time.");
}

async function emulatorPorts(): Promise<Record<string, EmulatorInfo>> {
  try {
    const response = await fetch("/__/firebase/init.js?useEmulator=true", { cache: "no-store" });
    if (response.ok) {
      const text = await response.text();
      const match = /var firebaseEmulators = (\{[\s\S]*?\n\});/.exec(text);
      if (match) return JSON.parse(match[1]) as Record<string, EmulatorInfo>;
    }
  } catch {
    /* fall through to the defaults */
  }
  const fallback = await fetchJson<Record<string, EmulatorInfo>>("/emulators.json");
  return fallback ?? {
    auth: { host: "127.0.0.1", port: 9099 },
    firestore: { host: "127.0.0.1", port: 8080 },
  };
}

declare global {
  // The App Check SDK reads this global: true (log a new debug token) or a
  // token registered in the Firebase console's App Check debug tokens.
  var FIREBASE_APPCHECK_DEBUG_TOKEN: boolean | string | undefined;
}

async function startAppCheck(app: FirebaseApp, emulated: boolean): Promise<void> {
  const siteKey = import.meta.env.VITE_APPCHECK_SITE_KEY as string | undefined;
  if (!siteKey) return;
  if (emulated) {
    // No reCAPTCHA against the emulators: the debug provider, with the
    // configured token or a fresh one printed to the console.
    const debugToken = import.meta.env.VITE_APPCHECK_DEBUG_TOKEN as string | undefined;
    globalThis.FIREBASE_APPCHECK_DEBUG_TOKEN = debugToken || true;
  }
  const { initializeAppCheck, ReCaptchaEnterpriseProvider, ReCaptchaV3Provider } = await import("firebase/app-check");
  const provider = import.meta.env.VITE_APPCHECK_PROVIDER === "recaptcha-v3"
    ? new ReCaptchaV3Provider(siteKey)
    : new ReCaptchaEnterpriseProvider(siteKey);
  initializeAppCheck(app, { provider, isTokenAutoRefreshEnabled: true });
}

let services: Services | null = null;

export async function connect(): Promise<Services> {
  if (services) return services;
  const config = await webConfig();
  const app = initializeApp(config);
  const emulated = isLocal() && import.meta.env.VITE_USE_EMULATORS !== "false";
  await startAppCheck(app, emulated);
  // getAuth's defaults plus no popup/redirect resolver: email and password
  // need none, and without it Auth never loads Google's gapi script or the
  // auth-domain iframe, which the Content-Security-Policy does not allow.
  const auth = initializeAuth(app, {
    persistence: [indexedDBLocalPersistence, browserLocalPersistence, browserSessionPersistence],
  });
  const db = initializeFirestore(app, { ignoreUndefinedProperties: true });
  if (emulated) {
    const ports = await emulatorPorts();
    const host = (info: EmulatorInfo | undefined, port: number) => ({
      host: info?.host ?? "127.0.0.1",
      port: info?.port ?? port,
    });
    const a = host(ports.auth, 9099);
    const f = host(ports.firestore, 8080);
    connectAuthEmulator(auth, `http://${a.host}:${a.port}`, { disableWarnings: true });
    connectFirestoreEmulator(db, f.host, f.port);
  }
  services = { app, auth, db, emulated };
  return services;
}

export function svc(): Services {
  if (!services) throw new Error("Firebase is not connected yet");
  return services;
}
