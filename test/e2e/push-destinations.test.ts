import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConcernReceiptSchema, DeliverySchema, PartnerViewSchema } from "../../shared/api/schemas.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A receiver on loopback answering every post with `status`. */
async function receiver(status: number) {
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lantern`;
  return { url, received, close: () => new Promise((r) => server.close(r)) };
}

async function waitFor<T>(what: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(250);
  }
}

const partner = (id: string, extra: Record<string, unknown>) => ({
  id,
  name: "Essex Children's Homes",
  type: "care_provider",
  areas: ["essex"],
  clientIds: [`${id}-app`],
  ...extra,
});

describe("webhook destinations with LANTERN_WEBHOOK_HTTPS_ONLY=true", () => {
  let hub: Hub;
  let ig: string;

  beforeAll(async () => {
    hub = await startHub({
      LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      LANTERN_WEBHOOK_HTTPS_ONLY: "true",
    });
    ig = await hub.token("essex-police-ig", "partners:read partners:manage", "ig-1");
  });
  afterAll(async () => {
    await hub.stop();
  });

  // Literal addresses and loopback names only: the hub asks no DNS server about these.
  const refused = [
    ["https://127.0.0.1/hook", "loopback"],
    ["https://2130706433/hook", "loopback"],
    ["https://0x7f000001/hook", "loopback"],
    ["https://[::1]/hook", "loopback"],
    ["https://[::ffff:127.0.0.1]/hook", "loopback"],
    ["https://localhost:8443/hook", "loopback"],
    ["https://169.254.169.254/latest/meta-data/", "link-local"],
    ["https://[fe80::1]/hook", "link-local"],
    ["https://10.0.0.5/hook", "private"],
    ["https://172.16.5.4/hook", "private"],
    ["https://192.168.0.10/hook", "private"],
    ["https://[fd00::5]/hook", "unique local"],
    ["https://100.64.0.1/hook", "shared"],
    ["https://0.0.0.0/hook", "unspecified"],
  ] as const;

  it.each(refused)("refuses %s (%s) on POST /v1/partners, writing nothing", async (url, kind) => {
    const id = `care-${Math.random().toString(36).slice(2, 10)}`;
    const res = await call(hub, "POST", "/v1/partners", {
      token: ig,
      body: partner(id, { webhook: { url } }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const errors = res.json.errors as { path: string; message: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe("/webhook/url");
    expect(errors[0]?.message).toContain(kind);
    expect((await call(hub, "GET", `/v1/partners/${id}`, { token: ig })).status).toBe(404);
  });

  it("refuses an internal escalation contact webhook, and internal URLs on PATCH", async () => {
    const id = "care-contact";
    const contact = await call(hub, "POST", "/v1/partners", {
      token: ig,
      body: partner(id, {
        escalationContact: { name: "Duty manager", webhook: { url: "https://169.254.169.254/x" } },
      }),
    });
    expect(contact.status).toBe(400);
    expect((contact.json.errors as { path: string }[])[0]?.path).toBe("/escalationContact/webhook/url");

    const before = (await call(hub, "GET", "/v1/partners/essex-mash", { token: ig })).json;
    for (const body of [
      { webhook: { url: "https://10.1.2.3/hook" } },
      { escalationContact: { name: "Duty manager", webhook: { url: "https://[::1]/hook" } } },
    ]) {
      const res = await call(hub, "PATCH", "/v1/partners/essex-mash", { token: ig, body });
      expect(res.status).toBe(400);
    }
    const after = (await call(hub, "GET", "/v1/partners/essex-mash", { token: ig })).json;
    expect(after).toEqual(before);
  });

  it("refuses plain http and accepts a public https address", async () => {
    const http = await call(hub, "POST", "/v1/partners", {
      token: ig,
      body: partner("care-http", { webhook: { url: "http://81.2.69.160/hook" } }),
    });
    expect(http.status).toBe(400);
    // No routing rule sends anything to a care provider, so nothing is ever sent there.
    const ok = await call(hub, "POST", "/v1/partners", {
      token: ig,
      body: partner("care-public", { webhook: { url: "https://81.2.69.160/lantern" } }),
    });
    expect(ok.status).toBe(201);
    expect(PartnerViewSchema.parse(ok.json).webhookSecret).toMatch(/^whsec_/);
  });
});

describe("push delivery: each attempt's URL, and the escalation contact's own secret", () => {
  let hub: Hub;
  let ig: string;
  let police: string;
  let mash: string;

  beforeAll(async () => {
    hub = await startHub({
      LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      LANTERN_SWEEP_SECONDS: "1",
      LANTERN_WEBHOOK_RETRY_SCHEDULE_MS: "60000",
    });
    ig = await hub.token("essex-police-ig", "routing:read routing:manage partners:manage", "ig-1");
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
    mash = await hub.token("essex-mash-portal", "notifications:read notifications:respond", "sw-1");
  });
  afterAll(async () => {
    await hub.stop();
  });

  const setMash = async (body: Record<string, unknown>) => {
    const res = await call(hub, "PATCH", "/v1/partners/essex-mash", { token: ig, body });
    expect(res.status).toBe(200);
    return PartnerViewSchema.parse(res.json);
  };
  const submit = async (concernType: "child_exploitation" | "missing_child" = "child_exploitation") => {
    const res = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern({ concernType }) });
    expect(res.status).toBe(201);
    return ConcernReceiptSchema.parse(res.json).notifications[0]?.id as string;
  };
  const deliveries = async (id: string) =>
    ((await call(hub, "GET", `/v1/notifications/${id}/deliveries`, { token: mash })).json.items ?? []).map(
      (d) => DeliverySchema.parse(d),
    );

  it("sends each attempt to the partner's URL as it is then", async () => {
    const broken = await receiver(500);
    const fixed = await receiver(204);
    try {
      await setMash({ webhook: { url: broken.url } });
      const id = await submit();
      await waitFor(
        async () => broken.received.filter((r) => r.body.includes(id)).length,
        (n) => n >= 1,
      );
      // The partner moves its endpoint; the next attempt (asked for now) goes to the new one.
      await setMash({ webhook: { url: fixed.url } });
      expect((await call(hub, "POST", `/v1/notifications/${id}/deliveries`, { token: mash })).status).toBe(
        202,
      );
      const done = await waitFor(
        () => deliveries(id),
        (list) => list[0]?.status === "delivered",
      );
      expect(done[0]?.status).toBe("delivered");
      expect(done[0]?.url).toBe(fixed.url);
      expect(done[0]?.attempts.map((a) => a.status)).toEqual([500, 204]);
      const first = broken.received.find((r) => r.body.includes(id));
      const second = fixed.received.find((r) => r.body.includes(id));
      expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
      expect(second?.body).toBe(first?.body);
    } finally {
      await broken.close();
      await fixed.close();
    }
  });

  it("ends a message plainly when the partner no longer has a webhook", async () => {
    const broken = await receiver(500);
    try {
      await setMash({ webhook: { url: broken.url } });
      const id = await submit();
      await waitFor(
        async () => broken.received.filter((r) => r.body.includes(id)).length,
        (n) => n >= 1,
      );
      await setMash({ webhook: null });
      await call(hub, "POST", `/v1/notifications/${id}/deliveries`, { token: mash });
      const ended = await waitFor(
        () => deliveries(id),
        (list) => list[0]?.status === "failed",
      );
      expect(ended[0]?.status).toBe("failed");
      expect(ended[0]?.nextAttemptAt).toBeNull();
      expect(ended[0]?.attempts.map((a) => a.error)).toEqual([null, "no_webhook"]);
      expect(broken.received.filter((r) => r.body.includes(id))).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });

  it("signs the escalation contact's messages with its own secret, never the partner's", async () => {
    const team = await receiver(204);
    const duty = await receiver(204);
    try {
      await setMash({ webhook: { url: team.url } });
      const partnerSecret = (await call(hub, "POST", "/v1/partners/essex-mash/webhook-secret", { token: ig }))
        .json.webhookSecret as string;
      const set = await setMash({
        escalationContact: { name: "MASH duty manager", webhook: { url: duty.url } },
      });
      const contactSecret = set.escalationContactWebhookSecret as string;
      expect(contactSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(contactSecret).not.toBe(partnerSecret);
      expect(set.webhookSecret).toBeUndefined();
      // Read back, neither secret is shown.
      const read = await call(hub, "GET", "/v1/partners/essex-mash", { token: ig });
      expect(JSON.stringify(read.json)).not.toContain("whsec_");

      // Notifications to the MASH are due three seconds after receipt, so they go overdue now.
      const rules = (await call(hub, "GET", "/v1/routing-rules", { token: ig })).json.rules as {
        id: string;
      }[];
      const fast = rules.map((r) =>
        r.id === "mash-all" ? { ...r, due: { kind: "after", duration: "PT3S" } } : r,
      );
      expect((await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: { rules: fast } })).status).toBe(
        200,
      );

      const overdueTo = async (r: typeof duty, id: string) =>
        (
          await waitFor(
            async () =>
              r.received.filter((m) => m.body.includes(id) && m.body.includes("notification.overdue")),
            (list) => list.length >= 1,
          )
        )[0];
      const id = await submit("missing_child");
      const toContact = await overdueTo(duty, id);
      const toPartner = await overdueTo(team, id);
      if (!toContact || !toPartner) throw new Error("no overdue message arrived");
      const headers = (m: typeof toContact) => m.headers as Record<string, string>;
      expect(new Webhook(contactSecret).verify(toContact.body, headers(toContact))).toMatchObject({
        type: "notification.overdue",
      });
      expect(() => new Webhook(partnerSecret).verify(toContact.body, headers(toContact))).toThrow();
      expect(new Webhook(partnerSecret).verify(toPartner.body, headers(toPartner))).toMatchObject({
        type: "notification.overdue",
      });
      expect(() => new Webhook(contactSecret).verify(toPartner.body, headers(toPartner))).toThrow();
      const list = await deliveries(id);
      expect(
        list
          .filter((d) => d.type === "notification.overdue")
          .map((d) => d.owner)
          .sort(),
      ).toEqual(["escalation_contact", "partner"]);

      // Rotating the contact's secret: both of its secrets sign for a day, the partner's never.
      const rotated = await call(hub, "POST", "/v1/partners/essex-mash/escalation-contact/webhook-secret", {
        token: ig,
      });
      expect(rotated.status).toBe(200);
      const newContactSecret = rotated.json.webhookSecret as string;
      expect(newContactSecret).toMatch(/^whsec_/);
      expect(rotated.json.previousSecretValidUntil).toEqual(expect.any(String));
      const next = await submit("missing_child");
      const rotatedMessage = await overdueTo(duty, next);
      if (!rotatedMessage) throw new Error("no overdue message arrived");
      expect(String(rotatedMessage.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      for (const secret of [newContactSecret, contactSecret]) {
        expect(() => new Webhook(secret).verify(rotatedMessage.body, headers(rotatedMessage))).not.toThrow();
      }
      expect(() => new Webhook(partnerSecret).verify(rotatedMessage.body, headers(rotatedMessage))).toThrow();
    } finally {
      await team.close();
      await duty.close();
    }
  });

  it("refuses to rotate a secret the escalation contact does not have", async () => {
    const none = await call(hub, "POST", "/v1/partners/st-marys-primary/escalation-contact/webhook-secret", {
      token: ig,
    });
    expect(none.status).toBe(409);
    const unknown = await call(
      hub,
      "POST",
      "/v1/partners/no-such-partner/escalation-contact/webhook-secret",
      {
        token: ig,
      },
    );
    expect(unknown.status).toBe(404);
  });
});
