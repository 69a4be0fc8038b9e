import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/**
 * The house's size rules (issue 15): no function over 60 lines and no file over 300 lines in
 * shared/ and functions/. `npx tsx scripts/house-rules.ts` lists what breaks them; a unit test
 * fails on any break not allowed below.
 */
export const MAX_FUNCTION_LINES = 60;
export const MAX_FILE_LINES = 300;
export const ROOTS = ["shared", "functions"];

/**
 * Files allowed over 300 lines. Declarative data stays: a table or a schema reads best whole.
 */
export const LONG_FILES_ALLOWED: Record<string, string> = {
  "shared/api/routes.ts": "declarative data: the route table",
  "shared/api/schemas.ts": "declarative data: the zod schemas",
  "shared/domain/registry.ts": "declarative data: the registry's zod schemas (zod/mini spells them longer)",
};

/** Functions allowed over 60 lines, by `file:name`, for the same reasons. */
export const LONG_FUNCTIONS_ALLOWED: Record<string, string> = {};

export interface Violation {
  file: string;
  name: string;
  lines: number;
  kind: "file" | "function";
}

const PROJECT_ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** A function's name as a reader finds it: declared, assigned, or a method of a class. */
function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const named = node as { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) {
    return parent.name.getText(source);
  }
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
  return `(anonymous, line ${line + 1})`;
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Every function-like body over the limit, nested ones included (each counted whole). */
export function longFunctions(file: string, text: string, max = MAX_FUNCTION_LINES): Violation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Violation[] = [];
  const visit = (node: ts.Node) => {
    if (isFunction(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) found.push({ file, name: nameOf(node, source), lines, kind: "function" });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every break of the rules under the roots, allowed or not. */
export function violations(root = PROJECT_ROOT): Violation[] {
  return ROOTS.flatMap((dir) => sourceFiles(join(root, dir))).flatMap((path) => {
    const file = relative(root, path);
    const text = readFileSync(path, "utf8");
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    const long: Violation[] = lines > MAX_FILE_LINES ? [{ file, name: file, lines, kind: "file" }] : [];
    return [...long, ...longFunctions(file, text)];
  });
}

/** The breaks no allow-list entry covers. */
export function unallowed(found: readonly Violation[]): Violation[] {
  return found.filter((v) =>
    v.kind === "file" ? !(v.file in LONG_FILES_ALLOWED) : !(`${v.file}:${v.name}` in LONG_FUNCTIONS_ALLOWED),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = violations();
  for (const v of found) {
    const allowed = unallowed([v]).length === 0 ? "  (allowed)" : "";
    console.log(
      `${v.kind.padEnd(8)} ${v.lines.toString().padStart(4)}  ${v.kind === "file" ? v.file : `${v.file}:${v.name}`}${allowed}`,
    );
  }
  if (unallowed(found).length > 0) process.exit(1);
}
