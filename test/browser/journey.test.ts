import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkPage, freshPage, launch, signIn } from "../support/browser.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * Operation Encompass in a real browser on a fresh hub: the officer submits the form, the
 * school's Key Adult opens and acknowledges the notification, IG finds the child in subject
 * access and verifies the trail. Every page passes axe-core and fits 320 px.
 */
describe("the console: the Encompass journey", () => {
  let hub: Hub;
  let browser: Browser;
  let concernId = "";

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") }),
      launch(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it("the officer signs in and submits the form; the receipt says who was told", async () => {
    const { context, page } = await freshPage(browser);
    await signIn(page, hub.url, "Essex Police: officers", "PC Jane Smith", true);
    await page.getByRole("heading", { name: "Submit a safeguarding concern" }).waitFor();
    await checkPage(page, "concern-form");
    const amy = amyConcern();
    await page.getByLabel("Kind of concern").selectOption("domestic_abuse_child_present");
    await page.getByRole("group", { name: "Risk rating" }).getByLabel("Red").check();
    await page.getByLabel("When it happened").fill(amy.occurredAt);
    await page.getByLabel("Local authority area").fill("essex");
    await page.getByLabel("Given name").fill("Amy");
    await page.getByLabel("Family name").fill("Example");
    await page.getByLabel("Date of birth").fill("2017-03-02");
    await page.getByLabel("Address (optional)").fill("1 Any Street");
    await page.getByLabel("Postcode").fill("CM1 1AA");
    await page.getByLabel("School (optional)").fill("st-marys-primary");
    await page.getByRole("group", { name: "Is the child looked after?" }).getByLabel("No").check();
    await page.getByLabel("Summary").fill("Argument between adults escalated to assault");
    await page.getByLabel("Offences (optional)").fill("Common assault");
    await page.getByRole("group", { name: "Was the child seen?" }).getByLabel("Yes").check();
    await page.getByRole("group", { name: "Was the child spoken to?" }).getByLabel("No").check();
    await page.getByLabel("If not, why not").fill("asleep");
    await page.getByLabel("Your name").fill("PC Jane Smith");
    await page.getByLabel("Collar number").fill("1234");
    await page.getByLabel("Phone").fill("01245 000000");
    await page.getByRole("button", { name: "Submit concern" }).click();

    await page.getByRole("heading", { name: "Concern submitted" }).waitFor();
    concernId = new URL(page.url()).pathname.split("/").pop() ?? "";
    expect(concernId).toMatch(/^con_/);
    const told = page.getByRole("table", { name: "Who was told" });
    await expect.poll(() => told.textContent()).toContain("st-marys-primary");
    expect(await told.textContent()).toContain("essex-mash");
    await checkPage(page, "receipt");
    await context.close();
  });

  it("the Key Adult sees the notification with its due time, opens it once and acknowledges it", async () => {
    const { context, page } = await freshPage(browser);
    await signIn(page, hub.url, "St Mary's Primary School", "Helen Carter");
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: "Domestic abuse, child present" });
    await expect.poll(() => row.textContent()).toMatch(/Due in \d+/);
    await checkPage(page, "inbox");
    await row.getByRole("link", { name: /Open/ }).click();
    await page.getByText("What you have been told").waitFor();
    expect(await page.locator("main").textContent()).toContain("Amy");
    // Minimised: the school is never told the offence or the address.
    expect(await page.locator("main").textContent()).not.toContain("Common assault");
    await checkPage(page, "notification");
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await page.getByRole("group", { name: "Record the outcome" }).waitFor();
    await checkPage(page, "notification-acknowledged");
    await page.getByLabel("Information only").check();
    await page.getByRole("button", { name: "Record outcome" }).click();
    await page.getByRole("heading", { name: "Outcome recorded" }).waitFor();
    await checkPage(page, "notification-closed");
    await context.close();

    const auditor = await hub.token("essex-police-ig", "audit:read", "ig-check");
    const events = await call(
      hub,
      "GET",
      `/v1/audit/events?concernId=${concernId}&action=notification_opened`,
      { token: auditor },
    );
    expect(events.status).toBe(200);
    expect(events.json.items).toHaveLength(1);
  });

  it("IG finds the child in subject access, sees the disclosure and verifies the trail", async () => {
    const { context, page } = await freshPage(browser);
    await signIn(page, hub.url, "Essex Police: information governance", "Priya Shah");
    await page.getByRole("heading", { name: "Information governance" }).waitFor();
    await checkPage(page, "ig");
    await page.getByRole("link", { name: /Subject access/ }).click();
    await page.getByLabel("Concern reference or Lantern's id for the child").fill(concernId);
    await page.getByRole("button", { name: "Find the child" }).click();
    const disclosures = page.getByRole("table", { name: "Disclosures" });
    await disclosures.waitFor();
    expect(await disclosures.textContent()).toContain("st-marys-primary");
    expect(await disclosures.textContent()).toContain("encompass-st-marys v1");
    await checkPage(page, "subject-access");
    await page.getByRole("link", { name: "Information governance" }).click();
    await page.getByRole("link", { name: "Verify the audit trail" }).click();
    await page.getByRole("button", { name: "Verify the audit trail" }).click();
    await page.getByText("The audit trail is valid").waitFor();
    await checkPage(page, "verify");
    await context.close();
  });

  it("every other page passes axe-core, fits 320 px, and an agreement changes only after a confirmation", async () => {
    const ig = await freshPage(browser);
    let page = ig.page;
    await signIn(page, hub.url, "Essex Police: information governance", "Priya Shah");
    const visit = async (linkName: string | RegExp, heading: string | RegExp, screenshot: string) => {
      await page.getByRole("link", { name: "Information governance" }).first().click();
      await page.getByRole("main").getByRole("link", { name: linkName }).click();
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await checkPage(page, screenshot);
    };
    await visit(/Coverage/, "Coverage", "ig-coverage");
    expect(await page.getByRole("table").textContent()).toContain("essex-health");
    await visit(/Break-glass/, "Decisions to review", "ig-reviews");
    await visit(/Breaches/, "Breaches", "ig-breaches");
    await visit(/Routing rules/, "Routing rules", "ig-routing");
    await page.getByRole("link", { name: "Calendar for essex" }).click();
    await page.getByRole("heading", { name: "Calendar for essex" }).waitFor();
    await checkPage(page, "ig-calendar");
    await visit(/Timeliness/, "Timeliness by partner", "ig-timeliness");
    expect(await page.getByRole("table").textContent()).toContain("st-marys-primary");
    await visit(/agreements/, "Data-sharing agreements", "ig-agreements");
    await page.getByRole("link", { name: /Southend/ }).click();
    await page.getByRole("button", { name: "Suspend version 1" }).click();
    await page.getByRole("heading", { name: /Are you sure you want to suspend version 1/ }).waitFor();
    await checkPage(page, "ig-agreement-confirm");
    await page.getByRole("button", { name: "No, go back" }).click();
    await page.getByRole("button", { name: "Suspend version 1" }).click();
    await page.getByRole("button", { name: "Yes, suspend version 1" }).click();
    await page.getByRole("button", { name: "Activate again version 1" }).waitFor();
    await checkPage(page, "ig-agreement");
    await page.getByRole("button", { name: "Activate again version 1" }).click();
    await page.getByRole("button", { name: "Yes, activate version 1" }).click();
    await page.getByRole("button", { name: "Suspend version 1" }).waitFor();
    await ig.context.close();

    const officer = await freshPage(browser);
    page = officer.page;
    await signIn(page, hub.url, "Essex Police: officers", "PC Jane Smith");
    await page.getByRole("link", { name: "Escalations" }).click();
    await page.getByRole("heading", { name: "Escalations" }).waitFor();
    await checkPage(page, "escalations");
    await page.getByRole("link", { name: "Concerns", exact: true }).click();
    await page.getByLabel("Concern reference").fill(concernId);
    await page.getByRole("button", { name: "Find concern" }).click();
    await page.getByRole("table", { name: "Who was told" }).waitFor();
    await checkPage(page, "concern-status");
    await officer.context.close();
  });
});
