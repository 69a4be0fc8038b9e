import type { APIGatewayProxyEvent } from "aws-lambda";
import type { core, ZodMiniType } from "zod/mini";
import { hasLoneSurrogate } from "../domain/text.js";
import {
  badRequest,
  type FieldError,
  payloadTooLarge,
  unsupportedMediaType,
  validationFailed,
} from "../errors.js";

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * The optional `Idempotency-Key` header: absent or empty is none. A longer key is refused
 * rather than cut short: two keys that differ only after the limit must not replay each other.
 */
export function idempotencyKey(headers: Record<string, string>): string | undefined {
  const key = headers["idempotency-key"];
  if (key === undefined || key === "") return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw validationFailed(
      [
        {
          path: "/headers/Idempotency-Key",
          message: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
        },
      ],
      `The Idempotency-Key header is over ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
    );
  }
  return key;
}

/** JSON Pointer (RFC 6901) to a member, the form `errors[].path` uses. */
export function pointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

export function headerMap(event: Pick<APIGatewayProxyEvent, "headers">): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** No request of ours nests deeper than a handful of levels; anything far deeper is refused. */
export const MAX_JSON_DEPTH = 64;

/**
 * Walk a parsed body once, without recursion (so no body can exhaust the stack): refuse
 * nesting beyond MAX_JSON_DEPTH, and any lone surrogate, keys included, which would break
 * canonical JSON later.
 */
function checkJsonValue(root: unknown): FieldError | null {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    if (typeof value === "string") {
      if (hasLoneSurrogate(value)) return { path: pointer(path), message: "must be valid Unicode" };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) {
      return { path: pointer(path.slice(0, 8)), message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    }
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(value) && hasLoneSurrogate(key)) {
        return { path: pointer(path), message: "member names must be valid Unicode" };
      }
      stack.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
    }
  }
  return null;
}

export function zodErrors(error: core.$ZodError): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return { path: pointer(issue.path), message: `unknown member(s): ${issue.keys.join(", ")}` };
    }
    return { path: pointer(issue.path), message: issue.message };
  });
}

export function validate<T>(schema: ZodMiniType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodErrors(result.error), `The ${what} is not valid.`);
  return result.data;
}

/**
 * Read a JSON body: 413 over 64 KiB, 415 for anything but application/json, 400 for bytes that
 * are not UTF-8, text that is not JSON, or strings that are not valid Unicode.
 */
export function readJsonBody(
  event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">,
  headers: Record<string, string>,
  optional: boolean,
): unknown {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  if (bytes.length === 0) {
    if (optional) return {};
    if (!isJson(headers["content-type"])) throw unsupportedMediaType();
    throw badRequest("A JSON body is required.");
  }
  if (!isJson(headers["content-type"])) throw unsupportedMediaType();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("The body is not valid UTF-8.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("The body is not valid JSON.");
  }
  const problem = checkJsonValue(value);
  if (problem) throw validationFailed([problem], "The body is not valid: see errors.");
  return value;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json") return false;
  const charset = params.find((p) => p.startsWith("charset="));
  return charset === undefined || charset === "charset=utf-8" || charset === 'charset="utf-8"';
}
