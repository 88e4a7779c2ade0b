// Calls to the backend's REST API as the signed-in user, with its problem
// details (RFC 9457: detail, code, and for a 422 the field errors) turned
// into lines a person can read.
import { session } from "./data";

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; detail: string; errors: string[] };

export async function callApi<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResult<T>> {
  const token = await session.user!.getIdToken();
  const response = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...extraHeaders,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => null) as Record<string, unknown> | null;
  if (response.ok) return { ok: true, status: response.status, data: (payload ?? {}) as T };
  const problem = (payload ?? {}) as { code?: string; detail?: string; errors?: { field?: string; message: string }[] };
  return {
    ok: false,
    status: response.status,
    code: problem.code ?? "",
    detail: problem.detail ?? `The server answered HTTP ${response.status}.`,
    errors: (problem.errors ?? []).map((e) => (e.field ? `${e.field.replace(/^body\./, "")}: ${e.message}` : e.message)),
  };
}
