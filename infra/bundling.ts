/**
 * esbuild settings for every Lambda bundle, in one place so the CDK construct and the
 * bundle-size check (`npm run check:bundles`) build exactly the same thing.
 */

/** Node version the bundles target: the same code runs locally on Node 20 and on the Node 24 runtime. */
export const BUNDLE_TARGET = 'node20';

/**
 * ESM bundles need a real `require` for the CommonJS dependencies esbuild inlines
 * (without it the first SDK call fails with `Dynamic require of "node:https" is not supported`).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * Modules left out of the bundle because the Lambda Node.js 24 runtime ships them: AWS SDK v3.
 * Why: the SDK is ~60% of a bundle that includes it, and the 1 MB per-function budget
 * (cold import ≤ 150 ms) is spent better on our own code. The price is that the runtime's SDK
 * version, not our pinned one, runs on Lambda; docs/DEPLOY.md says how to bundle it instead.
 */
export const EXTERNAL_MODULES: readonly string[] = ['@aws-sdk/*'];

/** Largest minified bundle a function may have, in bytes. */
export const MAX_BUNDLE_BYTES = 1024 * 1024;
