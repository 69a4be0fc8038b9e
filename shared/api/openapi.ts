import { globalRegistry, registry, toJSONSchema, type ZodMiniType } from "zod/mini";
import { PROBLEM_TYPE_BASE } from "../http/problem.js";
import { MAX_BODY_BYTES } from "../http/request.js";
import { examples } from "./examples.js";
import { webhooks } from "./openapi-webhooks.js";
import {
  type HeaderSpec,
  type OperationId,
  type ResponseSpec,
  type RouteSpec,
  routes,
  SCOPES,
} from "./routes.js";
import { ProblemSchema } from "./schemas.js";

/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas (never written
 * by hand), so it cannot drift from what the handlers validate.
 */

const ERROR_TEXT: Record<number, string> = {
  400: "The request is not valid (malformed JSON, unknown members, invalid values, text that is not valid Unicode).",
  401: "No access token, or one that is not valid.",
  403: "The token lacks the scope, or its client is not registered to a partner; on opening a notification, problem `disclosure_withdrawn`: its agreement no longer authorises it.",
  404: "No such resource, or one that belongs to another partner.",
  405: "The path exists but not with this method.",
  409: "The request conflicts with the resource's state.",
  410: "Problem `disclosure_recalled`: information governance recalled this disclosure and its content is erased.",
  413: `The body is over ${MAX_BODY_BYTES} bytes.`,
  415: "The body is not application/json.",
  503: "The hub is busy or a dependency is unavailable; retry after Retry-After seconds.",
};

const ref = (schema: ZodMiniType) => {
  const id = globalRegistry.get(schema)?.id;
  return id ? { $ref: `#/components/schemas/${id}` } : jsonSchema(schema);
};

function jsonSchema(schema: ZodMiniType, io: "input" | "output" = "output"): Record<string, unknown> {
  const out = toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
    reused: "inline",
    // An empty registry: inline everything, since these small schemas are not components.
    metadata: registry<{ id?: string }>(),
  }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function parameters(route: RouteSpec) {
  const list: Record<string, unknown>[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const shape = jsonSchema(schema, "input") as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    for (const [name, s] of Object.entries(shape.properties ?? {})) {
      list.push({
        name,
        in: where,
        required: where === "path" || (shape.required ?? []).includes(name),
        schema: s,
      });
    }
  }
  for (const header of route.headers ?? []) {
    list.push({
      name: header.name,
      in: "header",
      required: false,
      description: header.description,
      schema: { type: "string", maxLength: header.maxLength ?? 255 },
    });
  }
  return list;
}

function responseHeaders(headers: Record<string, HeaderSpec>) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, h]) => [
      name,
      { description: h.description, required: h.required ?? false, schema: h.schema ?? { type: "string" } },
    ]),
  );
}

/** Headers the error answers carry, as RFC 6750, RFC 9110 and the hub set them. */
const ERROR_HEADERS: Record<number, Record<string, HeaderSpec>> = {
  401: {
    "WWW-Authenticate": {
      description:
        'RFC 6750: `Bearer` when no token was sent, else `Bearer error="invalid_token", error_description="..."` naming the check that failed.',
      required: true,
    },
  },
  403: {
    "WWW-Authenticate": {
      description: 'On a missing scope only: `Bearer error="insufficient_scope", scope="..."`.',
    },
  },
  405: { Allow: { description: "The methods this path answers, comma-separated.", required: true } },
  503: {
    "Retry-After": {
      description: "Seconds to wait before retrying.",
      required: true,
      schema: { type: "string", pattern: "^[0-9]+$" },
    },
  },
};

function mediaOf(spec: ResponseSpec, example: unknown) {
  const content: Record<string, unknown> = {};
  if (spec.schema || spec.contentType) {
    content[spec.contentType ?? "application/json"] = {
      ...(spec.schema ? { schema: ref(spec.schema) } : {}),
      ...(example !== undefined ? { example } : {}),
    };
  }
  for (const other of spec.also ?? []) {
    content[other.contentType] = {
      ...(other.schema ? { schema: ref(other.schema) } : {}),
      ...(other.jsonSchema ? { schema: other.jsonSchema } : {}),
    };
  }
  return content;
}

function operation(route: RouteSpec) {
  const example = examples[route.operationId as OperationId];
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const content = mediaOf(spec, status.startsWith("2") ? example?.response : undefined);
    responses[status] = {
      description: spec.description,
      ...(spec.headers ? { headers: responseHeaders(spec.headers) } : {}),
      ...(Object.keys(content).length > 0 ? { content } : {}),
    };
  }
  for (const status of route.errors) {
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(route.scope
      ? { security: [{ bearer: [route.scope] }], "x-lantern-scope": route.scope }
      : { security: [] }),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: !route.bodyOptional,
            content: {
              "application/json": {
                schema: ref(route.body),
                ...(example?.request !== undefined ? { example: example.request } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

function components() {
  const generated = toJSONSchema(globalRegistry, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  for (const schema of Object.values(generated.schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const problemResponses: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(ERROR_TEXT)) {
    const headers = ERROR_HEADERS[Number(status)];
    problemResponses[`Problem${status}`] = {
      description,
      ...(headers ? { headers: responseHeaders(headers) } : {}),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  return {
    schemas: generated.schemas,
    responses: problemResponses,
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description:
          "An OAuth 2.0 access token in the JWT profile of RFC 9068, signed RS256 or ES256 by the trusted issuer, with " +
          "`iss`, `aud`, `exp`, `sub`, `client_id` and a space-separated `scope`. Scopes: " +
          Object.entries(SCOPES)
            .map(([scope, text]) => `\`${scope}\` (${text})`)
            .join("; ") +
          ".",
      },
    },
  };
}

let cached: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  void ProblemSchema; // the problem shape every error answers with
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteSpec[]) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Lantern",
      version: "1.0.0",
      summary: "Partner information sharing for safeguarding children and young people.",
      description:
        "Police submit safeguarding concerns; Lantern routes each to the partners that must hear, checks every " +
        "disclosure against the recipient's data-sharing agreement, minimises it to the granted data categories, and " +
        "records every disclosure, refusal and access in a hash-chained audit trail. Errors are RFC 9457 problem+json " +
        `with a \`type\` under ${PROBLEM_TYPE_BASE}. A known path asked with a method it does not answer is 405 with an \`Allow\` header (components/responses/Problem405). Lists answer \`{ items, nextCursor }\`; pass \`?cursor=\` for the next page. ` +
        "Request schemas state what the hub checks; `format: nhs-number` is ten digits with a valid Modulus 11 check digit. " +
        "Rules JSON Schema cannot state (one member against another, the registry, the hub's clock) are in the members' descriptions.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Concerns", description: "What police submit." },
      { name: "Notifications", description: "A partner's inbox." },
      {
        name: "Partners",
        description: "The partner registry: who Lantern may tell, and their OAuth clients.",
      },
      {
        name: "Agreements",
        description: "Data-sharing agreements, versioned; only an active version authorises.",
      },
      { name: "Routing", description: "Which partners must hear about which concerns, and by when." },
      { name: "Audit", description: "The hash-chained audit trail, for information governance." },
      {
        name: "Information governance",
        description:
          "When sharing must stop: recall a disclosure; breaches and their 72-hour clock (UK GDPR Art. 33).",
      },
      { name: "Hub", description: "Health, this document and key sets." },
    ],
    paths,
    webhooks: webhooks(),
    components: components(),
  };
  return cached;
}
