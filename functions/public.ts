import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { publicGroup } from "../shared/api/groups/public.js";
import { notFound, serviceUnavailable } from "../shared/errors.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { wired } from "./wiring.js";

/** Lambda entry point for the routes that need no token: health, the OpenAPI document, key sets. */
const w = wired();

export const handler = createHttpHandler(
  publicGroup,
  {
    async health() {
      try {
        // A key read proves the store answers; the key itself need not exist.
        await w.doc.send(new GetCommand({ TableName: w.tables.data, Key: { pk: "HEALTH", sk: "HEALTH" } }));
      } catch {
        throw serviceUnavailable("The store does not answer.", 5);
      }
      return { status: 200, body: { status: "ok", time: w.clock.now().toISOString() } };
    },
    async openapi() {
      // The document is built from the whole table, so only this route imports it: the
      // function's cold start builds none of the other groups' schemas.
      const { openApiDocument } = await import("../shared/api/openapi.js");
      return { status: 200, body: openApiDocument() };
    },
    async jwks() {
      if (!w.publicJwks) throw notFound("This hub trusts an external issuer; fetch its keys there.");
      return {
        status: 200,
        body: JSON.parse(w.publicJwks),
        headers: { "Cache-Control": "public, max-age=300" },
      };
    },
  },
  w.http,
);
