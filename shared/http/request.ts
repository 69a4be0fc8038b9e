import type { APIGatewayProxyEvent } from "aws-lambda";
import type { z } from "zod";
import { hasLoneSurrogate } from "../domain/text.js";
import {
  badRequest,
  type FieldError,
  payloadTooLarge,
  unsupportedMediaType,
  validationFailed,
} from "../errors.js";

export const MAX_BODY_BYTES = 64 * 1024;

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

/** A lone surrogate anywhere, keys included, would break canonical JSON later: refuse it now. */
function findLoneSurrogate(value: unknown, path: PropertyKey[] = []): FieldError | null {
  if (typeof value === "string") {
    return hasLoneSurrogate(value) ? { path: pointer(path), message: "must be valid Unicode" } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findLoneSurrogate(v, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (hasLoneSurrogate(k)) return { path: pointer(path), message: "member names must be valid Unicode" };
      const found = findLoneSurrogate(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

export function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return { path: pointer(issue.path), message: `unknown member(s): ${issue.keys.join(", ")}` };
    }
    return { path: pointer(issue.path), message: issue.message };
  });
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
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
  const surrogate = findLoneSurrogate(value);
  if (surrogate) throw validationFailed([surrogate], "The body holds text that is not valid Unicode.");
  return value;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json") return false;
  const charset = params.find((p) => p.startsWith("charset="));
  return charset === undefined || charset === "charset=utf-8" || charset === 'charset="utf-8"';
}
