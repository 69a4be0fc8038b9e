import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mintToken } from "../../infra/local/token.js";
import { ConcernReceiptSchema, DeliverySchema } from "../../shared/api/schemas.js";
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from "../../shared/domain/bank-holidays.js";
import { isoDate, londonParts, londonTimeToUtc } from "../../shared/domain/time.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";
import {
  type NotifyDouble,
  type NotifyRequest,
  startNotifyDouble,
  testApiKey,
} from "../support/notify-double.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CONSOLE = "https://console.lantern.example";
const EMAIL_TEMPLATE = "5e1f2a64-0000-4000-8000-00000000e1a1";
const SMS_TEMPLATE = "5e1f2a64-0000-4000-8000-0000000005a5";
const HELEN = {
  sub: "dsl",
  name: "Helen Carter",
  email: "helen.carter@st-marys.example",
  mobile: "07700 900123",
};
const DEPUTY = { sub: "deputy", name: "Sam Deputy", mobile: "+44 7700 900456" };
/** What an alert must never hold: Amy's details, her school, the concern's type. */
const ABOUT_AMY = [
  "Amy",
  "Example",
  "2017-03-02",
  "Any Street",
  "CM1 1AA",
  "st-marys",
  "St Mary",
  "domestic",
];

/** Everything a request to Notify said but the address (Helen's email is at her school's domain). */
const said = (r: NotifyRequest) => JSON.stringify({ ...r.body, email_address: null, phone_number: null });

async function waitFor<T>(what: () => T | Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(200);
  }
}

function notifyEnv(double: NotifyDouble, apiKey: string | null): NodeJS.ProcessEnv {
  return {
    LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
    LANTERN_SWEEP_SECONDS: "1",
    ...(apiKey ? { LANTERN_NOTIFY_API_KEY: apiKey } : {}),
    LANTERN_NOTIFY_EMAIL_TEMPLATE_ID: EMAIL_TEMPLATE,
    LANTERN_NOTIFY_SMS_TEMPLATE_ID: SMS_TEMPLATE,
    LANTERN_CONSOLE_URL: CONSOLE,
    LANTERN_NOTIFY_BASE_URL: double.url,
  };
}

/** Submit Amy's concern; the id of its notification to her school. */
async function submitForSchool(hub: Hub, police: string): Promise<{ concern: string; school: string }> {
  const receipt = ConcernReceiptSchema.parse(
    (await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() })).json,
  );
  const school = receipt.notifications.find((n) => n.recipientId === "st-marys-primary");
  return { concern: receipt.id, school: school?.id as string };
}

async function deliveriesOf(hub: Hub, token: string, notificationId: string) {
  const listed = await call(hub, "GET", `/v1/notifications/${notificationId}/deliveries`, { token });
  expect(listed.status).toBe(200);
  expect(listed.text).not.toMatch(/helen\.carter|7700 ?900|duty\.manager/);
  return (listed.json.items as unknown[]).map((d) => DeliverySchema.parse(d));
}

/**
 * A school day at least a day ahead (a weekday, not a bank holiday, no school holidays in
 * the demo calendar): the faked hub's clock starts `leadSeconds` before 08:00 London on it.
 */
function fakedMorning(leadSeconds: number): { startsAt: Date; remindAt: Date } {
  for (let days = 2; ; days++) {
    const day = londonParts(new Date(Date.now() + days * 86_400_000));
    const date = isoDate(day.year, day.month, day.day);
    if (day.weekday === 0 || day.weekday === 6 || ENGLAND_AND_WALES_BANK_HOLIDAYS.includes(date)) continue;
    // The school's day starts at 08:30, so its Key Adults are texted at 08:00.
    const remindAt = londonTimeToUtc(day.year, day.month, day.day, 8, 0);
    return { startsAt: new Date(remindAt.getTime() - leadSeconds * 1000), remindAt };
  }
}

/**
 * A hub whose clock (libfaketime) starts `leadSeconds` before a school morning's 08:00, with
 * a Notify double on the same clock, and a way to mint tokens on the real clock that are
 * still valid on the hub's.
 */
async function morningHub(leadSeconds: number, retrySchedule: string) {
  const key = testApiKey();
  const morning = fakedMorning(leadSeconds);
  const offsetSeconds = Math.floor((morning.startsAt.getTime() - Date.now()) / 1000);
  const double = await startNotifyDouble(key, offsetSeconds * 1000);
  const hub = await startHub(
    { ...notifyEnv(double, key.apiKey), LANTERN_WEBHOOK_RETRY_SCHEDULE_MS: retrySchedule },
    { faketime: `+${offsetSeconds}` },
  );
  const mint = (clientId: string, scope: string, sub?: string) =>
    mintToken({ dataDir: hub.dataDir, clientId, scope, sub, ttlSeconds: offsetSeconds + 3600 });
  return { double, hub, morning, mint, hubNow: () => Date.now() + offsetSeconds * 1000 };
}

describe("alerts for people through GOV.UK Notify (a loopback double), on a school morning", () => {
  let double: NotifyDouble;
  let hub: Hub;
  let morning: { remindAt: Date };
  let hubNow: () => number;
  const tokens = { police: "", ig: "", mash: "", school: "" };

  beforeAll(async () => {
    const started = await morningHub(90, "1000,2000,60000");
    ({ double, hub, morning, hubNow } = started);
    const { mint } = started;
    tokens.police = await mint("essex-police-app", "concerns:submit concerns:read", "pc-1");
    tokens.ig = await mint(
      "essex-police-ig",
      "partners:read partners:manage routing:read routing:manage",
      "ig-1",
    );
    tokens.mash = await mint("essex-mash-portal", "partners:read notifications:read", "sw-1");
    tokens.school = await mint("st-marys-primary-app", "partners:read notifications:read", "dsl");
    // The MASH's notifications fall due three seconds after receipt, so one goes overdue.
    const rules = (await call(hub, "GET", "/v1/routing-rules", { token: tokens.ig })).json.rules as {
      id: string;
    }[];
    const fast = rules.map((r) =>
      r.id === "mash-all" ? { ...r, due: { kind: "after", duration: "PT3S" } } : r,
    );
    const put = await call(hub, "PUT", "/v1/routing-rules", { token: tokens.ig, body: { rules: fast } });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await hub?.stop();
    await double?.close();
  });

  it("registers Key Adults' email and mobile (the mobile in E.164), and refuses a malformed one without echoing it", async () => {
    const set = await call(hub, "PATCH", "/v1/partners/st-marys-primary", {
      token: tokens.ig,
      body: { keyAdults: [HELEN, DEPUTY], schoolDayStartsAt: "08:30" },
    });
    expect(set.status).toBe(200);
    expect(set.json.keyAdults).toEqual([
      { ...HELEN, mobile: "+447700900123" },
      { ...DEPUTY, mobile: "+447700900456" },
    ]);
    for (const bad of [
      { ...HELEN, mobile: "01245 123456" },
      { ...HELEN, email: "helen at school" },
    ]) {
      const refused = await call(hub, "PATCH", "/v1/partners/st-marys-primary", {
        token: tokens.ig,
        body: { keyAdults: [bad] },
      });
      expect(refused.status).toBe(400);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(refused.text).not.toContain("01245 123456");
      expect(refused.text).not.toContain("helen at school");
    }
    const contact = await call(hub, "PATCH", "/v1/partners/essex-mash", {
      token: tokens.ig,
      body: {
        escalationContact: {
          name: "MASH duty manager",
          phone: "01245 111222",
          email: "duty.manager@mash.example",
        },
      },
    });
    expect(contact.status).toBe(200);
  });

  it("shows staff contact details only to governance partners and to the partner itself", async () => {
    const read = async (token: string, id: string) =>
      (await call(hub, "GET", `/v1/partners/${id}`, { token })).json;
    // Another partner sees who the Key Adults and the contact are, not how to reach them.
    expect((await read(tokens.mash, "st-marys-primary")).keyAdults).toEqual([
      { sub: "dsl", name: "Helen Carter" },
      { sub: "deputy", name: "Sam Deputy" },
    ]);
    expect((await read(tokens.school, "essex-mash")).escalationContact).toEqual({
      name: "MASH duty manager",
    });
    const listed = await call(hub, "GET", "/v1/partners", { token: tokens.mash });
    expect(listed.text).not.toContain("helen.carter");
    expect(listed.text).not.toContain("+447700900123");
    // The school sees its own; the MASH its own contact; information governance everything.
    expect((await read(tokens.school, "st-marys-primary")).keyAdults).toEqual([
      { ...HELEN, mobile: "+447700900123" },
      { ...DEPUTY, mobile: "+447700900456" },
    ]);
    expect((await read(tokens.mash, "essex-mash")).escalationContact).toMatchObject({
      phone: "01245 111222",
    });
    const governance = await call(hub, "GET", "/v1/partners", { token: tokens.ig });
    expect(governance.text).toContain("helen.carter@st-marys.example");
    expect(governance.text).toContain("duty.manager@mash.example");
  });

  it("emails the Key Adult on creation with the template and the console link, retrying a send answered 500", async () => {
    double.answers.push(500);
    const { school } = await submitForSchool(hub, tokens.police);
    const emails = () =>
      double.accepted.filter((r) => r.channel === "email" && r.body.personalisation.link?.endsWith(school));
    await waitFor(emails, (list) => list.some((r) => r.status === 201));

    const sent = emails();
    expect(sent.map((r) => r.status)).toEqual([500, 201]);
    for (const request of sent) {
      expect(request.body.template_id).toBe(EMAIL_TEMPLATE);
      expect(request.body.email_address).toBe(HELEN.email);
      expect(request.body.personalisation).toMatchObject({
        discloser: "Essex Police",
        link: `${CONSOLE}/notifications/${school}`,
        subject_line: "New safeguarding notification from Essex Police",
      });
      for (const fact of ABOUT_AMY) expect(said(request)).not.toContain(fact);
    }
    expect(sent[0]?.body.reference).toBe(sent[1]?.body.reference);
    expect(double.refused).toEqual([]);
    const listed = await deliveriesOf(hub, tokens.school, school);
    const email = listed.find((d) => d.alert?.channel === "email");
    expect(email).toMatchObject({
      status: "delivered",
      type: "notification.created",
      id: sent[0]?.body.reference,
    });
    expect(email?.attempts.map((a) => [a.status, a.notifyId ?? null])).toEqual([
      [500, null],
      [201, sent[1]?.id],
    ]);
  });

  it("emails the partner's escalation contact when a notification goes overdue", async () => {
    const { concern } = await submitForSchool(hub, tokens.police);
    const view = await call(hub, "GET", `/v1/concerns/${concern}`, { token: tokens.police });
    const mashId = (view.json.notifications as { id: string; recipientId: string }[]).find(
      (n) => n.recipientId === "essex-mash",
    )?.id as string;
    const overdue = () =>
      double.accepted.filter((r) => r.channel === "email" && r.body.personalisation.link?.endsWith(mashId));
    await waitFor(overdue, (list) => list.length > 0);
    expect(overdue()).toHaveLength(1);
    expect(overdue()[0]?.body).toMatchObject({
      template_id: EMAIL_TEMPLATE,
      email_address: "duty.manager@mash.example",
      personalisation: { subject_line: "Overdue safeguarding notification from Essex Police" },
    });
  });

  it("texts each Key Adult 30 minutes before the school's day while unopened, once, and not for one opened", async () => {
    expect(hubNow(), "the machine was too slow to reach 07:59:50 on the hub's clock in time").toBeLessThan(
      morning.remindAt.getTime() - 10_000,
    );
    const unopened = await submitForSchool(hub, tokens.police);
    const opened = await submitForSchool(hub, tokens.police);
    expect(
      (await call(hub, "GET", `/v1/notifications/${opened.school}`, { token: tokens.school })).status,
    ).toBe(200);
    // Every notification so far is reminded at 08:00; nothing is texted before then.
    const before = await deliveriesOf(hub, tokens.school, unopened.school);
    expect(before.filter((d) => d.alert?.channel === "sms").map((d) => d.nextAttemptAt)).toEqual([
      morning.remindAt.toISOString(),
      morning.remindAt.toISOString(),
    ]);
    expect(double.accepted.filter((r) => r.channel === "sms")).toEqual([]);

    const texts = () =>
      double.accepted.filter(
        (r) => r.channel === "sms" && r.body.personalisation.link?.endsWith(unopened.school),
      );
    await waitFor(texts, (list) => list.length >= 2, morning.remindAt.getTime() - hubNow() + 20_000);
    await sleep(3000); // more rounds of the outbox: still one text each

    expect(
      texts()
        .map((r) => r.body.phone_number)
        .sort(),
    ).toEqual(["+447700900123", "+447700900456"]);
    expect(texts().every((r) => r.body.template_id === SMS_TEMPLATE && r.status === 201)).toBe(true);
    expect(
      double.accepted.filter(
        (r) => r.channel === "sms" && r.body.personalisation.link?.endsWith(opened.school),
      ),
    ).toEqual([]);
    for (const text of texts()) for (const fact of ABOUT_AMY) expect(said(text)).not.toContain(fact);
    const sentRows = (await deliveriesOf(hub, tokens.school, unopened.school)).filter(
      (d) => d.alert?.channel === "sms",
    );
    expect(sentRows.map((d) => d.status)).toEqual(["delivered", "delivered"]);
    for (const row of sentRows) {
      expect(row.attempts).toHaveLength(1);
      expect(Date.parse(row.attempts[0]?.at as string)).toBeGreaterThanOrEqual(morning.remindAt.getTime());
    }
    expect(double.refused).toEqual([]);
    const cancelled = (await deliveriesOf(hub, tokens.school, opened.school)).filter(
      (d) => d.alert?.channel === "sms",
    );
    expect(cancelled.map((d) => d.status)).toEqual(["cancelled", "cancelled"]);
  }, 150_000);
});

describe("a reminder text whose send failed, the notification opened before its retry", () => {
  let faked: Awaited<ReturnType<typeof morningHub>>;
  beforeAll(async () => {
    // The retry is 10 s after the failed send: time for the Key Adult to open the notification.
    faked = await morningHub(50, "10000,60000");
  });
  afterAll(async () => {
    await faked?.hub.stop();
    await faked?.double.close();
  });

  it("sends no text at the retry, and the delivery says it was not needed", async () => {
    const { hub, double, morning, mint, hubNow } = faked;
    const ig = await mint("essex-police-ig", "partners:manage", "ig-1");
    const school = await mint("st-marys-primary-app", "notifications:read", "deputy");
    // One Key Adult with a mobile only: the text is the only request to Notify.
    const set = await call(hub, "PATCH", "/v1/partners/st-marys-primary", {
      token: ig,
      body: { keyAdults: [DEPUTY], schoolDayStartsAt: "08:30" },
    });
    expect(set.status).toBe(200);
    const police = await mint("essex-police-app", "concerns:submit concerns:read", "pc-1");
    const { school: id } = await submitForSchool(hub, police);
    expect(hubNow(), "the machine was too slow to submit before 07:59:55 on the hub's clock").toBeLessThan(
      morning.remindAt.getTime() - 5_000,
    );
    double.answers.push(500);
    const texts = () => double.accepted.filter((r) => r.channel === "sms");
    await waitFor(texts, (list) => list.length > 0, morning.remindAt.getTime() - hubNow() + 20_000);
    expect(texts().map((r) => r.status)).toEqual([500]);

    // The Key Adult opens it before the retry, 10 s after the failed send.
    expect((await call(hub, "GET", `/v1/notifications/${id}`, { token: school })).status).toBe(200);
    const text = async () => (await deliveriesOf(hub, school, id)).find((d) => d.alert?.channel === "sms");
    const settled = await waitFor(text, (d) => d?.status !== "scheduled" && d?.status !== "pending", 40_000);
    await sleep(2000); // more rounds of the sweep and the outbox: still nothing sent

    expect(texts().map((r) => r.status)).toEqual([500]);
    expect(settled).toMatchObject({ status: "cancelled", retries: 1, nextAttemptAt: null });
    expect(settled?.attempts.map((a) => [a.status, a.error === "not_needed"])).toEqual([
      [500, false],
      [null, true],
    ]);
    expect(double.refused).toEqual([]);
  }, 120_000);
});

describe("alerts across a restart, and without a key", () => {
  const key = testApiKey();
  let double: NotifyDouble;
  const hubs: Hub[] = [];

  beforeAll(async () => {
    double = await startNotifyDouble(key);
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    await double?.close();
  });

  async function withKeyAdult(hub: Hub) {
    const ig = await hub.token("essex-police-ig", "partners:manage", "ig-1");
    const set = await call(hub, "PATCH", "/v1/partners/st-marys-primary", {
      token: ig,
      body: { keyAdults: [HELEN] },
    });
    expect(set.status).toBe(200);
    return hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
  }

  it("loses nothing when the hub restarts between a failed send and its retry", async () => {
    const env = { ...notifyEnv(double, key.apiKey), LANTERN_WEBHOOK_RETRY_SCHEDULE_MS: "6000,12000,60000" };
    const first = await startHub(env);
    hubs.push(first);
    double.answers.push(500);
    const { school } = await submitForSchool(first, await withKeyAdult(first));
    const emails = () =>
      double.accepted.filter((r) => r.channel === "email" && r.body.personalisation.link?.endsWith(school));
    await waitFor(emails, (list) => list.length >= 1);
    expect(await first.stop()).toBe(0);

    const second = await startHub({
      ...env,
      LANTERN_DATA_DIR: first.dataDir,
      LANTERN_TABLE_PREFIX: first.env.LANTERN_TABLE_PREFIX,
    });
    hubs.push(second);
    await waitFor(emails, (list) => list.some((r) => r.status === 201), 30_000);

    expect(emails().map((r) => r.status)).toEqual([500, 201]);
    expect(emails()[1]?.body.reference).toBe(emails()[0]?.body.reference);
    expect(double.refused).toEqual([]);
    const token = await second.token("st-marys-primary-app", "notifications:read", "dsl");
    const email = (await deliveriesOf(second, token, school)).find((d) => d.alert?.channel === "email");
    expect(email?.attempts.map((a) => a.status)).toEqual([500, 201]);
  }, 90_000);

  it("sends nothing, and queues nothing, when no Notify key is configured", async () => {
    const hub = await startHub(notifyEnv(double, null));
    hubs.push(hub);
    const before = double.accepted.length;
    const { school } = await submitForSchool(hub, await withKeyAdult(hub));
    await sleep(3000);
    expect(double.accepted.length).toBe(before);
    const token = await hub.token("st-marys-primary-app", "notifications:read", "dsl");
    expect((await deliveriesOf(hub, token, school)).filter((d) => d.alert)).toEqual([]);
  });
});
