import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mintToken } from "../../infra/local/token.js";
import { checkPage, freshPage, launch, signIn, tabTo } from "../support/browser.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * The console by keyboard alone, with bad input, with a token that has expired, and on
 * addresses a person may not see or that do not exist.
 */

async function keyboardSignIn(page: Page, hub: Hub, clientId: string, sub: string): Promise<void> {
  await page.goto(`${hub.url}/`);
  await page.locator(`button[data-client="${clientId}"]`).waitFor();
  await tabTo(page, `button[data-client="${clientId}"]`);
  await page.keyboard.press("Enter");
  await page.locator(`button[value="${sub}"]`).waitFor();
  await tabTo(page, `button[value="${sub}"]`);
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Tab to the first radio of a group; Space picks the first option, ArrowRight the next. */
async function choose(page: Page, name: string, key: "Space" | "ArrowRight"): Promise<void> {
  await tabTo(page, `input[name="${name}"]`);
  await page.keyboard.press(key);
}

/** Show a page of the console as following a link inside it would (the token stays in memory). */
async function goInside(page: Page, path: string): Promise<void> {
  await page.evaluate(
    `history.pushState(null, "", ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent("popstate"));`,
  );
}

describe("the console by keyboard, with bad input, expired tokens and refusals", () => {
  let hub: Hub;
  let browser: Browser;

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

  it("runs the whole Encompass journey by keyboard alone", async () => {
    // The officer
    const officer = await freshPage(browser);
    let page = officer.page;
    await keyboardSignIn(page, hub, "essex-police-app", "pc-1234");
    await page.locator("#f-concernType").waitFor();
    await tabTo(page, "#f-concernType");
    await page.keyboard.type("Domestic");
    await choose(page, "riskRating", "Space");
    await typeInto(page, "#f-occurredAt", "2026-11-20T21:40:00Z");
    await typeInto(page, "#f-area", "essex");
    await typeInto(page, "#f-subject-givenName", "Ben");
    await typeInto(page, "#f-subject-familyName", "Keyboard");
    await typeInto(page, "#f-subject-dateOfBirth", "2016-05-04");
    await typeInto(page, "#f-subject-schoolId", "st-marys-primary");
    await choose(page, "subject.lookedAfter", "ArrowRight");
    await typeInto(page, "#f-incident-summary", "Neighbours heard shouting and a smashed window");
    await choose(page, "voiceOfChild.seen", "Space");
    await choose(page, "voiceOfChild.spokenTo", "Space");
    await typeInto(page, "#f-officer-name", "PC Jane Smith");
    await typeInto(page, "#f-officer-collarNumber", "1234");
    await typeInto(page, "#f-officer-phone", "01245 000000");
    await tabTo(page, "button[type=submit]");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Concern submitted" }).waitFor();
    const concernId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await officer.context.close();

    // The Key Adult
    const school = await freshPage(browser);
    page = school.page;
    await keyboardSignIn(page, hub, "st-marys-primary-app", "dsl");
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await tabTo(page, 'a[href^="/notifications/"]');
    await page.keyboard.press("Enter");
    await page.getByText("What you have been told").waitFor();
    expect(await page.locator("main").textContent()).toContain("Ben");
    await tabTo(page, "main button");
    await page.keyboard.press("Enter");
    await page.getByRole("group", { name: "Record the outcome" }).waitFor();
    await choose(page, "outcome", "Space");
    await tabTo(page, "main button[type=submit]");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Outcome recorded" }).waitFor();
    await school.context.close();

    // IG
    const ig = await freshPage(browser);
    page = ig.page;
    await keyboardSignIn(page, hub, "essex-police-ig", "ig-officer");
    await page.getByRole("heading", { name: "Information governance" }).waitFor();
    await tabTo(page, 'main a[href="/ig/subject-access"]');
    await page.keyboard.press("Enter");
    await typeInto(page, "#reference", concernId);
    await page.keyboard.press("Enter");
    await page.getByRole("table", { name: "Disclosures" }).waitFor();
    expect(await page.getByRole("table", { name: "Disclosures" }).textContent()).toContain(
      "st-marys-primary",
    );
    await tabTo(page, 'nav a[href="/ig"]');
    await page.keyboard.press("Enter");
    await tabTo(page, 'main a[href="/ig/verify"]');
    await page.keyboard.press("Enter");
    await tabTo(page, "main button");
    await page.keyboard.press("Enter");
    await page.getByText("The audit trail is valid").waitFor();
    await ig.context.close();
  });

  it("shows the API's errors beside the right fields and in the error summary", async () => {
    const { context, page } = await freshPage(browser);
    await signIn(page, hub.url, "Essex Police: officers", "PC Jane Smith");
    await page.getByLabel("Given name").fill("Amy");
    await page.getByLabel("Date of birth").fill("02/03/2017");
    await page.getByRole("button", { name: "Submit concern" }).click();
    const summary = page.locator(".govuk-error-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toContain("There is a problem");
    for (const field of ["subject-dateOfBirth", "subject-familyName", "voiceOfChild-seen", "concernType"]) {
      const error = page.locator(`#f-${field}-error`);
      await expect.poll(() => error.isVisible(), { message: `an error beside ${field}` }).toBe(true);
      expect((await error.textContent())?.length ?? 0).toBeGreaterThan(7);
    }
    // The summary links to the field itself, as the GOV.UK pattern asks.
    expect(await summary.locator('a[href="#f-subject-dateOfBirth"]').count()).toBe(1);
    expect(await page.locator("#f-subject-givenName-error").isVisible()).toBe(false);
    expect(await page.getByLabel("Given name").inputValue()).toBe("Amy");
    await checkPage(page, "concern-form-errors");
    await context.close();
  });

  it("sends a person whose token has expired to sign in again and keeps what they typed", async () => {
    const { context, page } = await freshPage(browser);
    await signIn(page, hub.url, "Essex Police: officers", "PC Jane Smith");
    await page.getByLabel("Given name").fill("Chloe");
    await page.getByLabel("Summary").fill("Typed before the token ran out");
    // The next submission travels with a token that expired two minutes ago, really signed by
    // the hub's issuer key: the hub itself refuses it with 401.
    const expired = await mintToken({
      dataDir: hub.dataDir,
      clientId: "essex-police-app",
      scope: "concerns:submit",
      ttlSeconds: -120,
    });
    let refused = 0;
    await page.route("**/v1/concerns", async (route) => {
      const response = await route.fetch({
        headers: { ...route.request().headers(), authorization: `Bearer ${expired}` },
      });
      refused += response.status() === 401 ? 1 : 0;
      await route.fulfill({ response });
    });
    await page.getByRole("button", { name: "Submit concern" }).click();
    await page.getByRole("button", { name: "Sign in as PC Jane Smith" }).waitFor();
    expect(refused).toBe(1);
    await page.unroute("**/v1/concerns");
    await page.getByRole("button", { name: "Sign in as PC Jane Smith" }).click();
    await page.getByText("what you had typed is back").waitFor();
    expect(new URL(page.url()).pathname).toBe("/concerns/new");
    expect(await page.getByLabel("Given name").inputValue()).toBe("Chloe");
    expect(await page.getByLabel("Summary").inputValue()).toBe("Typed before the token ran out");
    // The draft left the browser's storage as soon as it was restored.
    expect(await page.evaluate<number>("sessionStorage.length")).toBe(0);
    await context.close();
  });

  it("shows a plain page for a 403 and a 404, never a stack or raw JSON", async () => {
    const { context, page } = await freshPage(browser);
    await signIn(page, hub.url, "St Mary's Primary School", "Helen Carter");
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await goInside(page, "/ig/coverage");
    await page.getByRole("heading", { name: "You cannot see this" }).waitFor();
    await checkPage(page, "forbidden");
    await goInside(page, "/notifications/ntf_does-not-exist");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await checkPage(page, "not-found");
    for (const text of [await page.locator("main").textContent()]) {
      expect(text).not.toContain("{");
      expect(text).not.toContain("problem");
    }
    // An address that is no page at all: the plain page too, with its 404.
    const response = await page.goto(`${hub.url}/no/such/page`);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: /Sign in to Lantern|Page not found/ }).waitFor();
    // API clients still get the API's problem+json for the same address.
    const api = await call(hub, "GET", "/no/such/page");
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
    await context.close();
  });
});
