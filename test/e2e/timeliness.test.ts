import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConcernReceiptSchema, DeliverySchema, EscalationSchema } from "../../shared/api/schemas.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A partner's real HTTP receiver on loopback that fails the first `failures` posts. */
async function receiver(failures: number) {
  const received: { headers: IncomingMessage["headers"]; body: string; status: number }[] = [];
  let remaining = failures;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      const status = remaining > 0 ? 500 : 204;
      remaining -= 1;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lantern`;
  return {
    url,
    received,
    setFailures: (n: number) => (remaining = n),
    close: () => new Promise((r) => server.close(r)),
  };
}

async function waitFor<T>(
  what: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(250);
  }
}

describe("timeliness and push delivery", () => {
  let hub: Hub;
  let police: string;
  let ig: string;
  let mash: string;

  beforeAll(async () => {
    hub = await startHub({
      LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      LANTERN_SWEEP_SECONDS: "1",
      LANTERN_WEBHOOK_RETRY_SCHEDULE_MS: "500,1000,60000",
    });
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
    ig = await hub.token("essex-police-ig", "routing:read routing:manage partners:manage audit:read", "ig-1");
    mash = await hub.token("essex-mash-portal", "notifications:read notifications:respond", "sw-1");
    // A rule due three seconds after receipt, so the deadline passes during the test.
    const rules = (await call(hub, "GET", "/v1/routing-rules", { token: ig })).json.rules as {
      id: string;
      due: unknown;
    }[];
    const fast = rules.map((r) =>
      r.id === "mash-all" ? { ...r, due: { kind: "after", duration: "PT3S" } } : r,
    );
    expect((await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: { rules: fast } })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await hub.stop();
  });

  it("turns an unacknowledged notification overdue, audits it once and escalates it; an acknowledged one not", async () => {
    const duty = await receiver(0);
    const contact = await call(hub, "PATCH", "/v1/partners/essex-mash", {
      token: ig,
      body: {
        escalationContact: { name: "MASH duty manager", phone: "01245 111111", webhook: { url: duty.url } },
      },
    });
    expect(contact.status).toBe(200);
    const late = ConcernReceiptSchema.parse(
      (
        await call(hub, "POST", "/v1/concerns", {
          token: police,
          body: amyConcern({ concernType: "missing_child" }),
        })
      ).json,
    );
    const prompt = ConcernReceiptSchema.parse(
      (
        await call(hub, "POST", "/v1/concerns", {
          token: police,
          body: amyConcern({ concernType: "missing_child" }),
        })
      ).json,
    );
    const promptId = prompt.notifications[0]?.id as string;
    expect(
      (await call(hub, "POST", `/v1/notifications/${promptId}/acknowledge`, { token: mash })).status,
    ).toBe(200);

    const view = await waitFor(
      () => call(hub, "GET", `/v1/concerns/${late.id}`, { token: police }),
      (r) => (r.json.notifications as { status: string }[])[0]?.status === "overdue",
    );
    await sleep(2500); // more sweeps: still one event
    const lateId = late.notifications[0]?.id;
    expect((view.json.notifications as { status: string }[])[0]?.status).toBe("overdue");
    const events = await call(hub, "GET", `/v1/audit/events?action=deadline_missed&limit=100`, { token: ig });
    const missed = (events.json.items as AuditEvent[]).filter((e) => e.notificationId === lateId);
    expect(missed).toHaveLength(1);
    expect((events.json.items as AuditEvent[]).some((e) => e.notificationId === promptId)).toBe(false);
    const escalations = await call(hub, "GET", "/v1/escalations", { token: police });
    const list = (escalations.json.items as unknown[]).map((e) => EscalationSchema.parse(e));
    expect(list.filter((e) => e.notificationId === lateId).map((e) => e.kind)).toEqual(["deadline_missed"]);
    expect(list.some((e) => e.notificationId === promptId)).toBe(false);
    const promptView = await call(hub, "GET", `/v1/concerns/${prompt.id}`, { token: police });
    expect((promptView.json.notifications as { status: string }[])[0]?.status).toBe("acknowledged");
    // Acknowledging late still works and is marked as late in the trail.
    const ackLate = await call(hub, "POST", `/v1/notifications/${lateId}/acknowledge`, { token: mash });
    expect(ackLate.json.status).toBe("acknowledged");
    // The escalation contact heard about the overdue one, and only that.
    await waitFor(
      async () => duty.received.length,
      (n) => n >= 1,
    );
    const told = duty.received.map(
      (r) => JSON.parse(r.body) as { type: string; data: { notificationId: string } },
    );
    expect(told.map((m) => [m.type, m.data.notificationId])).toEqual([["notification.overdue", lateId]]);
    await duty.close();
  });

  it("pushes signed, thin messages that verify with an independent Standard Webhooks implementation, retrying until delivered once", async () => {
    const hook = await receiver(2);
    try {
      const set = await call(hub, "PATCH", "/v1/partners/essex-mash", {
        token: ig,
        body: { webhook: { url: hook.url } },
      });
      expect(set.status).toBe(200);
      // The partner got its own secret with this PATCH (the contact has another); rotate to learn a new
      // one: for 24 hours both sign, and a receiver holding either verifies.
      const rotated = await call(hub, "POST", "/v1/partners/essex-mash/webhook-secret", { token: ig });
      const secret = rotated.json.webhookSecret as string;
      expect(secret).toMatch(/^whsec_/);
      const receipt = ConcernReceiptSchema.parse(
        (
          await call(hub, "POST", "/v1/concerns", {
            token: police,
            body: amyConcern({ concernType: "child_exploitation" }),
          })
        ).json,
      );
      const id = receipt.notifications[0]?.id as string;

      const deliveries = await waitFor(
        () => call(hub, "GET", `/v1/notifications/${id}/deliveries`, { token: mash }),
        (r) =>
          (r.json.items as { status: string }[] | undefined)?.some((d) => d.status === "delivered") ?? false,
      );
      const created = (deliveries.json.items as unknown[])
        .map((d) => DeliverySchema.parse(d))
        .find((d) => d.type === "notification.created");
      expect(created?.status).toBe("delivered");
      expect(created?.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
      const mine = hook.received.filter(
        (r) => r.body.includes(id) && r.body.includes("notification.created"),
      );
      expect(mine.map((r) => r.status)).toEqual([500, 500, 204]);
      expect(new Set(mine.map((r) => r.headers["webhook-id"])).size).toBe(1);
      const wh = new Webhook(secret);
      expect(String(mine[0]?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      for (const r of mine) {
        const payload = wh.verify(r.body, r.headers as Record<string, string>) as {
          type: string;
          data: Record<string, string>;
        };
        expect(payload.type).toBe("notification.created");
        expect(payload.data).toEqual({
          notificationId: id,
          dueBy: receipt.notifications[0]?.dueBy,
          href: `/v1/notifications/${id}`,
        });
      }
      expect(mine[0]?.body).not.toMatch(/Amy|Example/);
    } finally {
      await hook.close();
    }
  });
});

describe("push delivery across a restart", () => {
  it("delivers a message that was mid-retry when the hub stopped", async () => {
    const hook = await receiver(1000);
    const env = {
      LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      LANTERN_WEBHOOK_RETRY_SCHEDULE_MS: "1500,3000,6000",
    };
    let hub = await startHub(env);
    try {
      const ig = await hub.token("essex-police-ig", "partners:manage", "ig-1");
      await call(hub, "PATCH", "/v1/partners/essex-mash", {
        token: ig,
        body: { webhook: { url: hook.url } },
      });
      const police = await hub.token("essex-police-app", "concerns:submit", "pc-1");
      const receipt = ConcernReceiptSchema.parse(
        (
          await call(hub, "POST", "/v1/concerns", {
            token: police,
            body: amyConcern({ concernType: "radicalisation" }),
          })
        ).json,
      );
      const id = receipt.notifications[0]?.id as string;
      await waitFor(
        async () => hook.received.length,
        (n) => n >= 1,
      );

      await hub.stop();
      hook.setFailures(0);
      hub = await startHub({
        ...env,
        LANTERN_DATA_DIR: hub.dataDir,
        LANTERN_TABLE_PREFIX: hub.env.LANTERN_TABLE_PREFIX,
      });
      const mash = await hub.token("essex-mash-portal", "notifications:read");
      const after = await waitFor(
        () => call(hub, "GET", `/v1/notifications/${id}/deliveries`, { token: mash }),
        (r) => (r.json.items as { status: string }[] | undefined)?.[0]?.status === "delivered",
      );
      expect((after.json.items as { status: string }[])[0]?.status).toBe("delivered");
      expect(hook.received.filter((r) => r.status === 204 && r.body.includes(id))).toHaveLength(1);
    } finally {
      await hub.stop();
      await hook.close();
    }
  });
});
