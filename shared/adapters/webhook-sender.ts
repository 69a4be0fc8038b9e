import { lookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type { LookupFunction } from "node:net";
import { checkDestination, type HostResolver, refusedAddress } from "../domain/webhook-destination.js";
import type { WebhookSender } from "../ports.js";

/** Every address a name has, as the operating system's resolver (and /etc/hosts) answers it. */
export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** A resolver that gives up after `ms`, so a slow DNS server cannot hold a request open. */
export function boundedResolver(resolve: HostResolver, ms: number): HostResolver {
  return (hostname) =>
    Promise.race([
      resolve(hostname),
      new Promise<string[]>((_, reject) => {
        setTimeout(() => reject(new Error("DNS timeout")), ms).unref();
      }),
    ]);
}

export interface SenderOptions {
  /** Outside development: https only, and only to addresses checked just before connecting. */
  httpsOnly: boolean;
  resolve?: HostResolver;
  /** Which addresses are refused; tests widen it to reach their loopback receiver. */
  refuse?: (address: string) => string | null;
  /** Extra trusted certificate authorities (tests' self-signed receivers). */
  ca?: string;
}

type Result = { status: number | null; error: string | null };

/**
 * The connection goes to the address that was checked, never to whatever a second DNS
 * answer says (DNS rebinding): the socket's lookup is answered with it, while the TLS
 * server name and Host header stay the URL's host name, so its certificate is still checked.
 */
function pinnedLookup(address: string): LookupFunction {
  const family = address.includes(":") ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function post(
  url: URL,
  address: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  ca: string | undefined,
): Promise<Result> {
  const options: RequestOptions = {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Content-Length": String(Buffer.byteLength(body)),
      "User-Agent": "Lantern-Webhooks/1",
      ...headers,
    },
    lookup: pinnedLookup(address),
    // No pooled sockets: a kept-alive connection could outlive the check it was made for.
    agent: false,
    signal: AbortSignal.timeout(timeoutMs),
    ...(ca ? { ca } : {}),
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(url, options, (response) => {
      // The answer's body is never read (it is the partner's business); redirects are not followed.
      response.destroy();
      resolve({ status: response.statusCode ?? null, error: null });
    });
    req.on("error", (error: Error) => {
      resolve({ status: null, error: error.name === "AbortError" ? "timeout" : "no_answer" });
    });
    req.end(body);
  });
}

/**
 * POST a push message with a bounded wait. Every failure, a refused destination included,
 * comes back as an attempt's error, never as a throw.
 */
export function webhookSender(options: SenderOptions): WebhookSender {
  const resolve = options.resolve ?? systemResolver;
  const refuse = options.refuse ?? refusedAddress;
  return async (target, headers, body, timeoutMs) => {
    const started = Date.now();
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { status: null, error: "destination_refused: not a URL" };
    }
    const allowed = options.httpsOnly ? ["https:"] : ["https:", "http:"];
    if (!allowed.includes(url.protocol)) {
      return {
        status: null,
        error: `destination_refused: not an ${options.httpsOnly ? "https" : "http(s)"} URL`,
      };
    }
    const bounded = boundedResolver(resolve, Math.min(5_000, timeoutMs));
    // In development (http, loopback allowed) nothing is refused, but the connection is still
    // made to the address resolved here, so both modes send the same way.
    const checked = await checkDestination(url, bounded, options.httpsOnly ? refuse : () => null);
    if (!checked.ok) {
      return {
        status: null,
        error: checked.unresolved ? "dns_failure" : `destination_refused: ${checked.reason}`,
      };
    }
    // One budget for the lookup and the answer together.
    const left = Math.max(1, timeoutMs - (Date.now() - started));
    return post(url, checked.addresses[0] as string, headers, body, left, options.ca);
  };
}
