import type { ConsoleConfig } from "../routes.js";

/**
 * Sign-in with the authorization code flow and PKCE against the configured issuer, found from
 * its discovery document. The access token lives in this module's memory only: a reload or a
 * new tab signs in again. Only the short-lived PKCE verifier and state cross the redirect, in
 * sessionStorage, and are removed as soon as they are used.
 */

export interface Session {
  accessToken: string;
  idToken: string | undefined;
  clientId: string;
  scopes: Set<string>;
  name: string;
  sub: string;
  expiresAt: number;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

const PENDING = "lantern.signin";
let session: Session | null = null;
let config: ConsoleConfig | null = null;
let discovery: Discovery | null = null;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (!config) {
    const response = await fetch("/console-config.json");
    if (!response.ok) throw new Error("The console's configuration could not be read.");
    config = (await response.json()) as ConsoleConfig;
  }
  return config;
}

async function metadata(): Promise<Discovery> {
  if (discovery) return discovery;
  const cfg = await loadConfig();
  const response = await fetch(cfg.discoveryUrl);
  if (!response.ok) throw new Error("The sign-in service cannot be reached.");
  const found = (await response.json()) as Discovery;
  // RFC 8414: the document must name the issuer we were told to trust.
  if (found.issuer !== cfg.issuer) throw new Error("The sign-in service is not the one configured.");
  discovery = found;
  return found;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export function currentSession(): Session | null {
  if (session && Date.now() >= session.expiresAt) session = null;
  return session;
}

/** Leave for the issuer's sign-in page; come back to `returnTo` afterwards. */
export async function signIn(clientId: string, returnTo: string): Promise<void> {
  const cfg = await loadConfig();
  const meta = await metadata();
  const verifier = randomString();
  const state = randomString();
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, clientId, returnTo }));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: `${location.origin}/callback`,
    scope: ["openid", "profile", ...cfg.scopes].join(" "),
    resource: cfg.resource,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
    prompt: "login",
  }).toString();
  location.assign(url.toString());
}

function claimsOf(jwt: string | undefined): Record<string, unknown> {
  const part = jwt?.split(".")[1];
  if (!part) return {};
  try {
    return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Finish the sign-in on /callback; answers where to go next. */
export async function completeSignIn(params: URLSearchParams): Promise<string> {
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error("This sign-in was not started here. Sign in again.");
  const { verifier, state, clientId, returnTo } = JSON.parse(pending) as Record<string, string>;
  if (params.get("error")) throw new Error("The sign-in was not completed. Sign in again.");
  if (!state || params.get("state") !== state) throw new Error("This sign-in does not match. Sign in again.");
  const cfg = await loadConfig();
  const meta = await metadata();
  const response = await fetch(meta.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code") ?? "",
      redirect_uri: `${location.origin}/callback`,
      client_id: clientId ?? "",
      code_verifier: verifier ?? "",
      resource: cfg.resource,
    }),
  });
  if (!response.ok) throw new Error("The sign-in could not be completed. Sign in again.");
  const tokens = (await response.json()) as {
    access_token: string;
    id_token?: string;
    expires_in: number;
    scope?: string;
  };
  const access = claimsOf(tokens.access_token);
  const identity = claimsOf(tokens.id_token);
  session = {
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    clientId: clientId ?? "",
    scopes: new Set(
      String(access.scope ?? "")
        .split(" ")
        .filter(Boolean),
    ),
    sub: String(access.sub ?? ""),
    name: String(identity.name ?? access.sub ?? ""),
    expiresAt: Date.now() + tokens.expires_in * 1000,
  };
  return returnTo && returnTo !== "/callback" ? returnTo : "/";
}

/** Forget the token and end the issuer's session too. */
export async function signOut(): Promise<void> {
  const ending = session;
  session = null;
  const meta = await metadata().catch(() => null);
  if (meta?.end_session_endpoint && ending) {
    const url = new URL(meta.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: ending.clientId,
      post_logout_redirect_uri: `${location.origin}/signed-out`,
      ...(ending.idToken ? { id_token_hint: ending.idToken } : {}),
    }).toString();
    location.assign(url.toString());
    return;
  }
  location.assign("/signed-out");
}

/** The token has expired or was refused: forget it; the caller keeps the draft and signs in. */
export function expire(): void {
  session = null;
}
