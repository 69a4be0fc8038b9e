import type * as z from "zod/mini";
import type { Group, OperationId, OperationsOf, Route } from "./routes.js";

/**
 * The handler types, derived from the route table and its zod schemas, the same ones the
 * OpenAPI document is generated from: what a handler is given (params, query, body, parsed)
 * and what it may answer (a declared status with that status's body and headers). A body
 * the document does not describe, or a forgotten handler, is a compile error, not a drift.
 */

export type RouteOf<Op extends OperationId> = Extract<Route, { operationId: Op }>;

type Parsed<T> = T extends z.ZodMiniType ? z.output<T> : undefined;

/** What validation hands a handler: each part parsed by the route's own schema. */
export interface InputOf<Op extends OperationId> {
  body: RouteOf<Op> extends { body: infer B } ? Parsed<B> : undefined;
  query: RouteOf<Op> extends { query: infer Q } ? Parsed<Q> : Record<string, never>;
  params: RouteOf<Op> extends { params: infer P } ? Parsed<P> : Record<string, never>;
}

/** The headers a response declares `required`: the handler must set each. */
type RequiredHeaders<R> = R extends { headers: infer H }
  ? { [K in keyof H as H[K] extends { required: true } ? K : never]: string }
  : Record<never, string>;

type HeadersPart<R> = keyof RequiredHeaders<R> extends never
  ? { headers?: Record<string, string> }
  : { headers: RequiredHeaders<R> & Record<string, string> };

/** The response's own content type: JSON unless it declares another (JSON Lines, say). */
type MainType<R> = R extends { contentType: infer C extends string } ? C : "application/json";

/** A JSON body: the declared schema's output (what the document shows); unknown if none. */
type JsonBody<R> =
  "application/json" extends MainType<R>
    ? R extends { schema: infer S extends z.ZodMiniType }
      ? z.output<S>
      : unknown
    : never;

/** The other content types a response declares (JSON Lines, CSV): sent as text. */
type TextType<R> = Exclude<
  | MainType<R>
  | (R extends { also: readonly (infer M)[] }
      ? M extends { contentType: infer C extends string }
        ? C
        : never
      : never),
  "application/json"
>;

type ResultFor<S extends number, R> = (
  | ([JsonBody<R>] extends [never] ? never : { status: S; body: JsonBody<R>; text?: never })
  | ([TextType<R>] extends [never]
      ? never
      : { status: S; text: { contentType: TextType<R>; body: string }; body?: never })
) &
  HeadersPart<R>;

export type { Group, OperationsOf };

type Responses<Op extends OperationId> = RouteOf<Op>["responses"];

/** One of the responses the route declares, by status. */
export type ResultOf<Op extends OperationId> = {
  [S in keyof Responses<Op> & number]: ResultFor<S, Responses<Op>[S]>;
}[keyof Responses<Op> & number];

/**
 * The JSON body a route answers with a status, from its declared schema: for a use case that
 * builds that view (the receipt, a concern as its discloser sees it), so its shape is written
 * once, in the schema the OpenAPI document shows.
 */
export type ResponseBody<Op extends OperationId, S extends keyof Responses<Op> & number> = JsonBody<
  Responses<Op>[S]
>;
