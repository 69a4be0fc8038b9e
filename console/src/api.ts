import { currentSession } from "./auth.js";

/**
 * The console's only way to the hub: the public /v1 API with the signed-in person's token, so
 * a page can show nothing the API would not answer that token.
 */

export interface FieldError {
  path: string;
  message: string;
}

/** An answer the API refused, as RFC 9457 problem details. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly type: string,
    readonly errors: FieldError[],
  ) {
    super(title);
  }
}

/** The token is missing, expired or refused (401): the person must sign in again. */
export class SignInNeeded extends Error {}

let apiBase = "";
export function setApiBase(base: string): void {
  apiBase = base;
}

interface Options {
  body?: unknown;
  accept?: string;
  headers?: Record<string, string>;
}

async function send(method: string, path: string, options: Options): Promise<Response> {
  const session = currentSession();
  if (!session) throw new SignInNeeded();
  const headers: Record<string, string> = {
    Authorization: `Bearer ${session.accessToken}`,
    Accept: options.accept ?? "application/json",
    ...options.headers,
  };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${apiBase}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 401) throw new SignInNeeded();
  if (!response.ok) throw await problemOf(response);
  return response;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  try {
    const problem = (await response.json()) as Partial<{
      title: string;
      detail: string;
      type: string;
      errors: FieldError[];
    }>;
    return new ApiProblem(
      response.status,
      problem.title ?? response.statusText,
      problem.detail ?? "",
      problem.type ?? "about:blank",
      problem.errors ?? [],
    );
  } catch {
    return new ApiProblem(response.status, response.statusText, "", "about:blank", []);
  }
}

export async function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  const response = await send(method, path, options);
  return (await response.json()) as T;
}

export async function apiText(path: string, accept: string): Promise<string> {
  const response = await send("GET", path, { accept });
  return response.text();
}

/** Every page of a list, following nextCursor (bounded, so a page never loops forever). */
export async function apiAll<T>(path: string, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const joiner = path.includes("?") ? "&" : "?";
    const page: { items: T[]; nextCursor: string | null } = await api(
      "GET",
      cursor ? `${path}${joiner}cursor=${encodeURIComponent(cursor)}` : path,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}
