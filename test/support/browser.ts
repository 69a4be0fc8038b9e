import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

/**
 * Debian's Chromium driven by playwright-core: nothing is downloaded. Every page a test visits
 * is checked with axe-core at WCAG 2.2 AA and at 320 px wide, and photographed for the README.
 */

export const CHROMIUM = process.env.LANTERN_CHROMIUM ?? "/usr/bin/chromium";
export const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// Each run photographs into test-results/ (ignored by git), so a test run leaves the work tree
// clean; LANTERN_SCREENSHOT_DIR=docs/screenshots refreshes the README's pictures on purpose.
const SCREENSHOTS =
  process.env.LANTERN_SCREENSHOT_DIR ?? join(import.meta.dirname, "..", "..", "test-results", "screenshots");

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** A fresh browser profile: its own cookies, so its own sign-in. */
export async function freshPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  return { context, page };
}

/** axe-core finds nothing at WCAG 2.2 AA; nothing overflows 320 px; a screenshot is kept. */
export async function checkPage(page: Page, name: string | null): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  const violations = result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(violations, `axe on ${page.url()}`).toEqual([]);
  if (name) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
  const before = page.viewportSize() ?? { width: 1024, height: 800 };
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate<number>(
    "document.documentElement.scrollWidth - document.documentElement.clientWidth",
  );
  expect(overflow, `horizontal scroll at 320 px on ${page.url()}`).toBeLessThanOrEqual(0);
  await page.setViewportSize(before);
}

/** Sign in through the console: choose the organisation, then the person on the issuer's page. */
export async function signIn(
  page: Page,
  hubUrl: string,
  organisation: string,
  person: string,
  check = false,
) {
  await page.goto(`${hubUrl}/`);
  await page.getByRole("button", { name: organisation }).waitFor();
  if (check) await checkPage(page, "sign-in");
  await page.getByRole("button", { name: organisation }).click();
  await page.getByRole("button", { name: `Sign in as ${person}` }).waitFor();
  if (check) await checkPage(page, "issuer-sign-in");
  await page.getByRole("button", { name: `Sign in as ${person}` }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Move the focus with the Tab key alone until it rests on what `selector` matches. */
export async function tabTo(page: Page, selector: string, max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`))
      return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
