import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/**
 * The console's static files: the page shell, one bundled ES module, the console's own CSS and
 * GOV.UK Frontend's compiled CSS. The GOV.UK fonts and crest are left out on purpose: they are
 * only for services on GOV.UK, which Lantern is not (the CSS falls back to Arial).
 */
export interface ConsoleAsset {
  contentType: string;
  body: Buffer;
}

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "..", "node_modules", "govuk-frontend", "dist", "govuk");

/** Content-Security-Policy of every console page; `connect` adds the API's and issuer's origins. */
export function consoleCsp(connect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(" ")}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function buildConsole(): Map<string, ConsoleAsset> {
  const bundle = buildSync({
    entryPoints: [join(here, "src", "main.ts")],
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2022",
    write: false,
    legalComments: "none",
  });
  const script = bundle.outputFiles[0];
  if (!script) throw new Error("the console bundle is empty");
  const assets = new Map<string, ConsoleAsset>([
    [
      "/index.html",
      { contentType: "text/html; charset=utf-8", body: readFileSync(join(here, "index.html")) },
    ],
    [
      "/assets/console.js",
      { contentType: "text/javascript; charset=utf-8", body: Buffer.from(script.contents) },
    ],
    [
      "/assets/console.css",
      { contentType: "text/css; charset=utf-8", body: readFileSync(join(here, "console.css")) },
    ],
    [
      "/assets/govuk-frontend.min.css",
      {
        contentType: "text/css; charset=utf-8",
        // Without its @font-face rules, the GOV.UK font is never fetched.
        body: Buffer.from(
          readFileSync(join(govuk, "govuk-frontend.min.css"), "utf8").replace(/@font-face\{[^}]*\}/g, ""),
        ),
      },
    ],
  ]);
  return assets;
}
