import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { readConfig } from "./config.js";
import { LanternStack } from "./stack.js";

/**
 * The CDK app: one stack per stage (`-c stage=dev|prod`), checked by cdk-nag's AWS Solutions
 * rules. A finding fails the synth; each accepted one is acknowledged beside its construct.
 */
export function buildApp(app: App = new App()): { app: App; stack: LanternStack } {
  const config = readConfig(app.node);
  const stack = new LanternStack(app, `Lantern-${config.stage}`, {
    config,
    description: `Lantern (${config.stage}): partner information sharing for safeguarding children`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
