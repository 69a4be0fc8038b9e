import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { isValidNhsNumber } from "../../shared/domain/subject.js";

/**
 * An independent check of every answer against the OpenAPI document the hub serves: the
 * status is declared for the operation, the content type is a declared one, every required
 * header is there (and matches its schema), and the body validates (Ajv, JSON Schema 2020-12,
 * formats checked). It reads the served document only, never the route table, so a document
 * that drifted from the handlers fails here as it would for an integrator's generated client.
 */

type Json = Record<string, unknown>;

// ajv-formats is CommonJS with a default export; under tsx/ESM it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

const ROOT = "https://lantern.invalid/openapi.json";

export interface Answer {
  method: string;
  /** The path as sent, query included. */
  path: string;
  status: number;
  headers: Headers;
  text: string;
}

interface Operation {
  /** For messages: `GET /v1/concerns/{id} (getConcern)`. */
  name: string;
  responses: Json;
}

export class OpenApiCheck {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: string[];

  constructor(private readonly doc: Json) {
    // strict: false, because an OpenAPI 3.1 schema may carry `example` and other annotations.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    // The document's own format: ten digits with a valid Modulus 11 check digit.
    this.ajv.addFormat("nhs-number", isValidNhsNumber);
    this.ajv.addSchema({ $id: ROOT, components: (doc.components as Json) ?? {} });
    this.templates = Object.keys((doc.paths as Json) ?? {});
  }

  /** What is wrong with this answer, as readable lines; empty when it is as documented. */
  problems(answer: Answer): string[] {
    const op = this.operation(answer.method, answer.path);
    const declared = this.responseFor(op, answer.status);
    const where = `${op.name} answered ${answer.status}`;
    if (!declared) {
      return [
        `${where}, a status the document does not declare (declared: ${Object.keys(op.responses).join(", ")})`,
      ];
    }
    return [
      ...this.headerProblems(declared, answer).map((p) => `${where}: ${p}`),
      ...this.bodyProblems(declared, answer, op.name).map((p) => `${where}: ${p}`),
    ];
  }

  private operation(method: string, rawPath: string): Operation {
    const path = new URL(rawPath, "http://x").pathname;
    const template = this.matchTemplate(path);
    const components = this.doc.components as { responses: Json };
    // An unknown path is 404, a known path with another method 405: both problem+json.
    if (!template) {
      return {
        name: `${method} ${path} (no such path)`,
        responses: { 404: components.responses.Problem404 },
      };
    }
    const item = (this.doc.paths as Record<string, Json>)[template] as Json;
    const op = item[method.toLowerCase()] as Json | undefined;
    if (!op) {
      return {
        name: `${method} ${template} (no such method)`,
        responses: { 405: components.responses.Problem405 },
      };
    }
    return { name: `${method} ${template} (${String(op.operationId)})`, responses: op.responses as Json };
  }

  /** The template this path fits, the most literal one first (`/agreements/coverage` before `/agreements/{id}`). */
  private matchTemplate(path: string): string | undefined {
    const segments = path.split("/");
    const fits = this.templates.filter((template) => {
      const t = template.split("/");
      if (t.length !== segments.length) return false;
      return t.every((part, i) => {
        const actual = segments[i] as string;
        if (!(part.startsWith("{") && part.endsWith("}"))) return part === actual;
        return actual !== "" && decodes(actual);
      });
    });
    const literal = (t: string) => t.split("/").filter((s) => !s.startsWith("{")).length;
    return fits.sort((a, b) => literal(b) - literal(a))[0];
  }

  private responseFor(op: Operation, status: number): Json | undefined {
    const found = (op.responses[String(status)] ??
      op.responses[`${String(status)[0]}XX`] ??
      op.responses.default) as Json | undefined;
    return found ? this.deref(found) : undefined;
  }

  private deref(value: Json): Json {
    const ref = value.$ref;
    if (typeof ref !== "string") return value;
    let target: unknown = this.doc;
    for (const part of ref.replace(/^#\//, "").split("/")) {
      target = (target as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return this.deref(target as Json);
  }

  private headerProblems(declared: Json, answer: Answer): string[] {
    const problems: string[] = [];
    for (const [name, spec] of Object.entries((declared.headers as Record<string, Json>) ?? {})) {
      const header = this.deref(spec);
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      if (header.schema) {
        const validate = this.validator(`header ${JSON.stringify(header.schema)}`, header.schema as Json);
        if (!validate(value)) problems.push(`header ${name}: ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    return problems;
  }

  errorsText(validate: ValidateFunction): string {
    return this.ajv.errorsText(validate.errors);
  }

  private bodyProblems(declared: Json, answer: Answer, opName: string): string[] {
    const content = declared.content as Record<string, Json> | undefined;
    const contentType = answer.headers.get("content-type");
    if (!content) return answer.text === "" ? [] : [`a body where the document declares none`];
    if (!contentType) return [`no Content-Type, declared: ${Object.keys(content).join(", ")}`];
    const key = mediaKey(content, contentType);
    if (!key)
      return [`Content-Type ${contentType} is not declared (declared: ${Object.keys(content).join(", ")})`];
    const schema = (content[key] as Json).schema as Json | undefined;
    // text/csv and other non-JSON bodies: the document gives no JSON Schema to check them by.
    if (!schema || !isJsonMedia(key)) return [];
    const validate = this.validator(`${opName} ${answer.status} ${key}`, schema);
    const documents = isJsonLines(key) ? answer.text.split("\n").filter((l) => l !== "") : [answer.text];
    const problems: string[] = [];
    documents.forEach((text, line) => {
      const at = isJsonLines(key) ? `line ${line + 1}: ` : "";
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`${at}the ${key} body is not JSON`);
        return;
      }
      if (!validate(body)) {
        problems.push(`${at}${this.ajv.errorsText(validate.errors, { dataVar: "body", separator: "; " })}`);
      }
    });
    return problems;
  }

  /** A validator of one of the document's schemas (its `#/components/...` references resolved), kept by `key`. */
  validator(key: string, schema: Json): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema));
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** Point the document's local references (`#/components/...`) at the registered components. */
function rebase(schema: unknown): never {
  if (Array.isArray(schema)) return schema.map(rebase) as never;
  if (schema === null || typeof schema !== "object") return schema as never;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `${ROOT}${v}` : rebase(v),
    ]),
  ) as never;
}

function mediaKey(content: Record<string, Json>, contentType: string): string | undefined {
  const bare = (type: string) => type.split(";")[0]?.trim().toLowerCase() ?? "";
  const keys = Object.keys(content);
  return (
    keys.find((k) => k.toLowerCase() === contentType.toLowerCase()) ??
    keys.find((k) => bare(k) === bare(contentType))
  );
}

function isJsonLines(mediaType: string): boolean {
  return /ndjson|jsonl/i.test(mediaType);
}

function isJsonMedia(mediaType: string): boolean {
  return /^application\/([\w.-]+\+)?json\b/i.test(mediaType) || isJsonLines(mediaType);
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
