import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build } from "esbuild";
import {
  FORBIDDEN_IN_BUNDLE,
  functionEntries,
  PROJECT_ROOT,
  SHARED_ESBUILD,
} from "../infra/aws/esbuild-config.js";

/**
 * Bundle every Lambda with the shared esbuild configuration (the one the CDK app uses) and
 * print each bundle's size. Fails if a bundle pulls in the CDK, the local hub or zod classic
 * (FORBIDDEN_IN_BUNDLE): they would bloat the cold start.
 */
const outdir = mkdtempSync(join(tmpdir(), "lantern-bundles-"));
let failed = false;
try {
  for (const [name, entry] of Object.entries(functionEntries())) {
    const outfile = join(outdir, name, "index.mjs");
    const result = await build({
      ...SHARED_ESBUILD,
      mainFields: [...SHARED_ESBUILD.mainFields],
      external: [...SHARED_ESBUILD.external],
      entryPoints: [entry],
      outfile,
      metafile: true,
      logLevel: "error",
    });
    const output = result.metafile.outputs[relative(process.cwd(), outfile)];
    const bytes =
      output?.bytes ?? Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
    const inputs = Object.keys(result.metafile.inputs).map((p) =>
      relative(PROJECT_ROOT, join(process.cwd(), p)),
    );
    const forbidden = inputs.filter((input) => FORBIDDEN_IN_BUNDLE.some((pattern) => pattern.test(input)));
    const mark = forbidden.length > 0 ? "  FORBIDDEN" : "";
    console.log(
      `${name.padEnd(18)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB  ${inputs.length} inputs${mark}`,
    );
    for (const input of forbidden) console.error(`  ${name} bundles ${input}`);
    if (forbidden.length > 0) failed = true;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
if (failed) {
  console.error("A bundle holds aws-cdk-lib, constructs, infra/local code or zod classic.");
  process.exit(1);
}
