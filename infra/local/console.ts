import type { IncomingMessage, ServerResponse } from "node:http";
import { buildConsole, consoleCsp } from "../../console/build.js";
import { type ConsoleConfig, matchPage } from "../../console/routes.js";

/**
 * The console on the local hub: the page shell for every console page, its assets, and the
 * configuration telling the pages where to sign in. Built once when the hub starts.
 */
const API_PATHS = /^\/(v1|oidc|\.well-known)(\/|$)/;
const wantsHtml = (req: IncomingMessage) =>
  (req.headers.accept ?? "").split(",").some((t) => t.trim().startsWith("text/html"));

export function consoleHandler(
  config: ConsoleConfig,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const assets = buildConsole();
  const configBody = Buffer.from(JSON.stringify(config));
  const headers = (contentType: string, length: number) => ({
    "Content-Type": contentType,
    "Content-Length": length,
    "Content-Security-Policy": consoleCsp(),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
  });
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const asset =
      path === "/console-config.json"
        ? { contentType: "application/json", body: configBody }
        : assets.get(path);
    const page = !asset && matchPage(path) !== null;
    // A person's browser asking for an address that is no page gets the console's plain "Page
    // not found" (404), not the API's problem+json; API clients never send Accept: text/html.
    const lost = !asset && !page && wantsHtml(req) && !API_PATHS.test(path);
    const found = asset ?? (page || lost ? assets.get("/index.html") : undefined);
    if (!found) return false;
    req.resume();
    res.writeHead(lost ? 404 : 200, headers(found.contentType, found.body.length));
    res.end(req.method === "HEAD" ? undefined : found.body);
    return true;
  };
}
