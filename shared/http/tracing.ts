import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { MiddlewareObj } from "@middy/core";

/**
 * X-Ray tracing through Powertools' tracer, on AWS only: Lambda sets AWS_LAMBDA_FUNCTION_NAME,
 * and the stack turns tracing on. The local hub and the tests have no X-Ray daemon, so there
 * the tracer is never even loaded (with the X-Ray SDK it is about 120 KiB of module to run).
 */
export function tracingOn(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME) && env.POWERTOOLS_TRACE_ENABLED !== "false";
}

let tracerValue: Promise<Tracer | null> | undefined;

/** The process's tracer on AWS, loaded once on first use; null elsewhere. */
export function awsTracer(env: NodeJS.ProcessEnv = process.env): Promise<Tracer | null> {
  tracerValue ??= tracingOn(env)
    ? import("@aws-lambda-powertools/tracer").then(({ Tracer }) => new Tracer())
    : Promise.resolve(null);
  return tracerValue;
}

/**
 * An AWS SDK v3 client whose calls show in the trace as subsegments (DynamoDB, KMS, Secrets
 * Manager, S3) on AWS; elsewhere the client as it is. The tracer loads during the cold start,
 * before the runtime hands over the first event, so the first calls are traced too.
 */
export function traced<T extends object>(client: T, env: NodeJS.ProcessEnv = process.env): T {
  if (tracingOn(env)) void awsTracer(env).then((tracer) => tracer?.captureAWSv3Client(client));
  return client;
}

type AnyMiddleware = MiddlewareObj<unknown, unknown, Error>;

/**
 * Powertools' `captureLambdaHandler` middy middleware on AWS (one segment per invocation, the
 * cold start annotated); none elsewhere. The response is never recorded in the trace: it
 * carries personal data (the stack also sets POWERTOOLS_TRACER_CAPTURE_RESPONSE=false).
 */
export function tracingMiddlewares(env: NodeJS.ProcessEnv = process.env): AnyMiddleware[] {
  if (!tracingOn(env)) return [];
  let loaded: Promise<AnyMiddleware> | undefined;
  const load = () => {
    loaded ??= Promise.all([awsTracer(env), import("@aws-lambda-powertools/tracer/middleware")]).then(
      ([tracer, { captureLambdaHandler }]) =>
        tracer ? (captureLambdaHandler(tracer, { captureResponse: false }) as AnyMiddleware) : {},
    );
    return loaded;
  };
  return [
    {
      before: async (request) => (await load()).before?.(request),
      after: async (request) => (await load()).after?.(request),
      onError: async (request) => (await load()).onError?.(request),
    },
  ];
}
