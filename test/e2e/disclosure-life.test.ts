import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BreachSchema } from "../../shared/api/lifecycle-routes.js";
import { ConcernReceiptSchema, NotificationSchema } from "../../shared/api/schemas.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * The life of a disclosure over HTTP: an agreement governs every opening, IG can recall a
 * disclosure, and a recall or an unjustified break glass is a breach with a 72-hour clock.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function receiver() {
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/school`;
  return { url, received, close: () => new Promise((r) => server.close(r)) };
}

describe("the life of a disclosure over HTTP", () => {
  let hub: Hub;
  let police: string;
  let school: string;
  let ig: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"), LANTERN_SWEEP_SECONDS: "1" });
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
    school = await hub.token("st-marys-primary-app", "notifications:read notifications:respond", "dsl-1");
    ig = await hub.token(
      "essex-police-ig",
      "agreements:manage partners:manage audit:read audit:review audit:checkpoint",
      "ig-1",
    );
  });
  afterAll(async () => {
    await hub.stop();
  });

  const submit = async (body = amyConcern()) => {
    const response = await call(hub, "POST", "/v1/concerns", { token: police, body });
    expect(response.status).toBe(201);
    return ConcernReceiptSchema.parse(response.json);
  };
  const schoolNotificationOf = (receipt: Awaited<ReturnType<typeof submit>>) => {
    const n = receipt.notifications.find((x) => x.recipientId === "st-marys-primary");
    if (!n) throw new Error("the school was not told");
    return n.id;
  };
  const eventsOf = async (concernId: string) =>
    (await call(hub, "GET", `/v1/audit/events?concernId=${concernId}&limit=100`, { token: ig })).json
      .items as AuditEvent[];

  it("withdraws the school's open notification while its agreement is suspended, and opens it again once active", async () => {
    // Prepare
    const receipt = await submit();
    const id = schoolNotificationOf(receipt);
    const lifecycle = (action: string) =>
      call(hub, "POST", `/v1/agreements/encompass-st-marys/versions/1/${action}`, { token: ig });

    // Act
    expect((await lifecycle("suspend")).status).toBe(200);
    const whileSuspended = await call(hub, "GET", `/v1/notifications/${id}`, { token: school });
    expect((await lifecycle("activate")).status).toBe(200);
    const reopened = await call(hub, "GET", `/v1/notifications/${id}`, { token: school });

    // Assess
    expect(whileSuspended.status).toBe(403);
    expect(whileSuspended.headers.get("content-type")).toContain("application/problem+json");
    expect(whileSuspended.json.type).toBe("https://lantern.example/problems/disclosure_withdrawn");
    expect(whileSuspended.text).not.toMatch(/Amy|Example/);
    expect(reopened.status).toBe(200);
    expect(NotificationSchema.parse(reopened.json).payload).toMatchObject({ subject: { givenName: "Amy" } });
    const events = await eventsOf(receipt.id);
    const refused = events.filter((e) => e.action === "disclosure_refused" && e.notificationId === id);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ reason: "agreement_not_active", recipientId: "st-marys-primary" });
    expect(events.filter((e) => e.action === "notification_opened" && e.notificationId === id)).toHaveLength(
      1,
    );
  });

  it("recalls a disclosure: 410 to the recipient, recalled in its inbox, a signed push, a breach decided once", async () => {
    // Prepare: the school has a webhook, and has opened the notification once.
    const hook = await receiver();
    try {
      const set = await call(hub, "PATCH", "/v1/partners/st-marys-primary", {
        token: ig,
        body: { webhook: { url: hook.url } },
      });
      expect(set.status).toBe(200);
      const secret = set.json.webhookSecret as string;
      expect(secret).toMatch(/^whsec_/);
      const receipt = await submit();
      const id = schoolNotificationOf(receipt);
      expect((await call(hub, "GET", `/v1/notifications/${id}`, { token: school })).status).toBe(200);

      // Act
      const recalled = await call(hub, "POST", `/v1/notifications/${id}/recall`, {
        token: ig,
        body: { reason: "misdirected", note: "Amy moved school in October" },
      });
      const again = await call(hub, "POST", `/v1/notifications/${id}/recall`, {
        token: ig,
        body: { reason: "misdirected" },
      });
      const opened = await call(hub, "GET", `/v1/notifications/${id}`, { token: school });
      const inbox = await call(hub, "GET", "/v1/notifications?status=recalled", { token: school });

      // Assess: the recall itself.
      expect(recalled.status).toBe(200);
      expect(recalled.json).toMatchObject({ status: "recalled", payload: null });
      expect(again.status).toBe(409);
      expect(opened.status).toBe(410);
      expect(opened.json.type).toBe("https://lantern.example/problems/disclosure_recalled");
      expect((inbox.json.items as { id: string; status: string }[]).find((n) => n.id === id)?.status).toBe(
        "recalled",
      );
      const events = await eventsOf(receipt.id);
      const recall = events.find((e) => e.action === "disclosure_recalled");
      expect(recall).toMatchObject({
        notificationId: id,
        reason: "misdirected",
        target: { kind: "notification", id },
      });
      expect(JSON.stringify(events)).not.toMatch(/October|Amy/);

      // Assess: the push, verified by the standardwebhooks package.
      const deadline = Date.now() + 20_000;
      while (!hook.received.some((r) => r.body.includes("notification.recalled")) && Date.now() < deadline)
        await sleep(250);
      const pushed = hook.received.find((r) => r.body.includes("notification.recalled"));
      const message = new Webhook(secret).verify(
        pushed?.body ?? "",
        pushed?.headers as Record<string, string>,
      ) as {
        type: string;
        data: { notificationId: string; href: string };
      };
      expect(message.type).toBe("notification.recalled");
      expect(message.data).toMatchObject({ notificationId: id, href: `/v1/notifications/${id}` });
      expect(pushed?.body).not.toMatch(/Amy|Example/);

      // Assess: the breach, its 72 hours and its evidence.
      const breachId = recalled.json.breachId as string;
      const listed = await call(hub, "GET", "/v1/breaches?status=open", { token: ig });
      const breach = BreachSchema.parse(
        (listed.json.items as { id: string }[]).find((b) => b.id === breachId),
      );
      expect(breach).toMatchObject({ cause: "recall", notificationId: id, recipientId: "st-marys-primary" });
      expect(Date.parse(breach.reportBy) - Date.parse(breach.detectedAt)).toBe(72 * 3_600_000);
      const opening = breach.evidence.events.find((e) => e.action === "notification_opened");
      expect(opening?.actor).toMatchObject({ partnerId: "st-marys-primary", sub: "dsl-1" });
      expect(breach.evidence.events.map((e) => e.action)).toContain("disclosure_recalled");
      await call(hub, "POST", "/v1/audit/checkpoints", { token: ig });
      const read = BreachSchema.parse(
        (await call(hub, "GET", `/v1/breaches/${breachId}`, { token: ig })).json,
      );
      expect(read.evidence.checkpoint?.checkpoint).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

      const decision = { decision: "reported", reference: "ICO-1", rationale: "Wrong school" };
      const decided = await call(hub, "POST", `/v1/breaches/${breachId}/decision`, {
        token: ig,
        body: decision,
      });
      const twice = await call(hub, "POST", `/v1/breaches/${breachId}/decision`, {
        token: ig,
        body: decision,
      });
      expect(decided.status).toBe(200);
      expect(decided.json.status).toBe("reported");
      expect(twice.status).toBe(409);
      expect((await eventsOf(receipt.id)).map((e) => e.action)).toContain("breach_decided");

      // The child's subject-access report shows the recall, in JSON and in the spreadsheet.
      const report = await call(hub, "GET", `/v1/audit/subjects/${receipt.subjectId}`, { token: ig });
      expect(report.status).toBe(200);
      expect(report.json.recalls).toEqual([
        expect.objectContaining({ action: "disclosure_recalled", notificationId: id, reason: "misdirected" }),
      ]);
      const csv = await call(hub, "GET", `/v1/audit/subjects/${receipt.subjectId}`, {
        token: ig,
        headers: { accept: "text/csv" },
      });
      // (The school's refused opening after the recall cites it as its reason: a refusal row.)
      const rows = csv.text.split("\r\n").map((line) => line.split(",")[1]);
      expect(rows.filter((action) => action === '"disclosure_recalled"')).toHaveLength(1);
    } finally {
      await call(hub, "PATCH", "/v1/partners/st-marys-primary", { token: ig, body: { webhook: null } });
      await hook.close();
    }
  });

  it("opens a breach when IG finds a break-glass disclosure not justified", async () => {
    // Prepare: health has no agreement, so neglect with break glass reaches it.
    const receipt = await submit(
      amyConcern({
        concernType: "neglect_or_abuse",
        breakGlass: { justification: "Infant with injuries consistent with abuse; health must assess." },
      }),
    );
    const toHealth = receipt.notifications.find((n) => n.recipientId === "essex-health");
    expect(toHealth?.breakGlass).toBe(true);

    // Act
    const reviewed = await call(hub, "POST", `/v1/audit/reviews/${toHealth?.id}`, {
      token: ig,
      body: { finding: "not_justified", note: "No immediate risk on the facts recorded" },
    });

    // Assess
    expect(reviewed.status).toBe(200);
    const breaches = (await call(hub, "GET", "/v1/breaches?limit=100", { token: ig })).json.items as {
      cause: string;
      notificationId: string;
      status: string;
    }[];
    expect(breaches.find((b) => b.notificationId === toHealth?.id)).toMatchObject({
      cause: "break_glass_not_justified",
      status: "open",
    });
  });

  it("refuses break glass from a partner that is not police", async () => {
    // Prepare: a MASH client allowed to submit, trying to break glass.
    const mash = await hub.token("essex-mash-portal", "concerns:submit", "sw-1");

    // Act
    const response = await call(hub, "POST", "/v1/concerns", {
      token: mash,
      body: amyConcern({ breakGlass: { justification: "A MASH may not break glass on a police concern" } }),
    });

    // Assess
    expect(response.status).toBe(403);
  });
});
