import { LogFormatter, LogItem, Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { LogAttributes } from "@aws-lambda-powertools/logger/types";

/**
 * Structured JSON log lines. Callers pass only ids, names and numbers: never a request body,
 * a query string, a token or an error message that might echo what a caller sent.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The Powertools logger underneath, for its middy middleware (absent when silent). */
  readonly powertools?: PowertoolsLogger;
}

const SCALAR = new Set(["string", "number", "boolean"]);

/**
 * The guard behind `LogFields`, at run time too: only scalar members reach a line. An object
 * (a body, an event, an error with its message) passed past the type is dropped, never printed.
 */
export function scalarFields(fields: LogAttributes): LogFields {
  const kept: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || SCALAR.has(typeof value)) kept[name] = value as LogFields[string];
  }
  return kept;
}

/** Today's line, `{ level, time, message, ...fields }`: Powertools' own members stay out. */
class LanternLogFormatter extends LogFormatter {
  formatAttributes(
    attributes: { logLevel: string; timestamp: Date; message: string },
    additional: LogAttributes,
  ): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel.toLowerCase(),
        time: attributes.timestamp.toISOString(),
        message: attributes.message,
        ...scalarFields(additional),
      },
    });
  }
}

/** Powertools' logger, printing each line through `write` (stdout by default, errors too). */
class LanternPowertoolsLogger extends PowertoolsLogger {
  constructor(private readonly write: (line: string) => void) {
    super({ logFormatter: new LanternLogFormatter() });
  }

  protected override printLog(_level: number, log: LogItem): void {
    this.write(JSON.stringify(log.getAttributes()));
  }
}

/** The house logger: Powertools for AWS Lambda underneath, the fields guarded as above. */
export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const powertools = new LanternPowertoolsLogger(write);
  return {
    info: (message, fields) => powertools.info(message, scalarFields(fields ?? {})),
    error: (message, fields) => powertools.error(message, scalarFields(fields ?? {})),
    powertools,
  };
}

export const silentLogger: Logger = { info: () => {}, error: () => {} };
