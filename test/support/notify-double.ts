import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";

/** One request GOV.UK Notify's double accepted as well-formed, with what it answered. */
export interface NotifyRequest {
  channel: "email" | "sms";
  body: {
    template_id: string;
    email_address?: string;
    phone_number?: string;
    personalisation: Record<string, string>;
    reference?: string;
  };
  status: number;
  id: string | null;
}

/** A Notify API key for tests: `{name}-{service id}-{secret}`, the last two uuids. */
export function testApiKey() {
  const serviceId = randomUUID();
  const secret = randomUUID();
  return { serviceId, secret, apiKey: `lantern_drill-${serviceId}-${secret}` };
}

/**
 * A loopback stand-in for GOV.UK Notify's `POST /v2/notifications/{email,sms}` that checks
 * what the real service checks: the bearer token is an HS256 JWT signed with the key's
 * secret, `iss` the service id and `iat` within 30 seconds of its clock (moved by
 * `clockOffsetMs` for a hub under faketime); the body names a template and an address.
 * Anything else is answered 403 or 400 and recorded in `refused`. `answers` is a queue of
 * statuses to give before accepting (e.g. [500] fails the first send once).
 */
export async function startNotifyDouble(key: { serviceId: string; secret: string }, clockOffsetMs = 0) {
  const accepted: NotifyRequest[] = [];
  const refused: string[] = [];
  const answers: number[] = [];
  const secret = new TextEncoder().encode(key.secret);

  async function verify(authorization: string | undefined): Promise<string | null> {
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    if (!token) return "no bearer token";
    try {
      await jwtVerify(token, secret, {
        algorithms: ["HS256"],
        issuer: key.serviceId,
        requiredClaims: ["iat"],
        currentDate: new Date(Date.now() + clockOffsetMs),
        maxTokenAge: "30s",
        // The client rounds `iat` to the nearest second, so it may be half a second ahead.
        clockTolerance: 5,
      });
      return null;
    } catch (error: unknown) {
      return `token refused: ${error instanceof Error ? error.name : "unknown"}`;
    }
  }

  function wellFormed(channel: string, body: NotifyRequest["body"]): boolean {
    const address = channel === "email" ? body.email_address : body.phone_number;
    return typeof body.template_id === "string" && typeof address === "string" && address.length > 0;
  }

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c.toString("utf8");
    });
    req.on("end", async () => {
      const channel = /^\/v2\/notifications\/(email|sms)$/.exec(req.url ?? "")?.[1] as
        | "email"
        | "sms"
        | undefined;
      const problem = await verify(req.headers.authorization);
      const reply = (status: number, json: object) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      if (!channel || req.method !== "POST") return reply(404, { errors: [{ error: "NotFound" }] });
      if (problem) {
        refused.push(problem);
        return reply(403, { errors: [{ error: "AuthError", message: "Invalid token" }] });
      }
      const body = JSON.parse(raw) as NotifyRequest["body"];
      if (!wellFormed(channel, body)) {
        refused.push(`malformed ${channel} body`);
        return reply(400, { errors: [{ error: "BadRequestError", message: "Missing address" }] });
      }
      const status = answers.shift() ?? 201;
      const id = status === 201 ? randomUUID() : null;
      accepted.push({ channel, body, status, id });
      if (status !== 201) return reply(status, { errors: [{ error: "Exception", message: "Internal" }] });
      return reply(201, { id, reference: body.reference, uri: `/v2/notifications/${id}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every well-formed request, in order, with the answer it got. */
    accepted,
    refused,
    answers,
    close: () => new Promise((r) => server.close(r)),
  };
}

export type NotifyDouble = Awaited<ReturnType<typeof startNotifyDouble>>;
