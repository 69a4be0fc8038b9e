import { buildApp } from "./lantern-app.js";

/** `cdk synth` entry (cdk.json "app"). */
buildApp().app.synth();
