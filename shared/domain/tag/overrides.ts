/**
 * Per-source overrides: a small operator-edited config ("for source X, path /eco/ is business")
 * for outlets whose paths or labels the shared vocabulary cannot resolve or resolves wrongly.
 */
import * as z from 'zod';
import overridesData from './overrides.json' with { type: 'json' };
import { normalizeLabel } from './vocabulary.ts';

export const SourceOverridesSchema = z.object({
  description: z.string().optional(),
  sources: z.record(
    z.string(),
    z.object({
      /** Path fragment (whole segments, `/eco/`) → section id. */
      paths: z.record(z.string().regex(/^\/.*\/$/), z.string()).default({}),
      /** Outlet label → section id. */
      labels: z.record(z.string(), z.string()).default({}),
    }),
  ),
});
export type SourceOverrides = z.infer<typeof SourceOverridesSchema>;

/** The bundled overrides (overrides.json). */
export const DEFAULT_OVERRIDES: SourceOverrides = SourceOverridesSchema.parse(overridesData);

/** A section an override assigned, and the path fragment or label that triggered it. */
export interface OverrideMatch {
  readonly id: string;
  readonly match: string;
}

/**
 * Look up an override for `source` by URL (or raw-key path) and/or outlet label. Paths match as
 * whole segments so `/eco/` does not fire on `/economy/`.
 */
export function matchOverride(
  overrides: SourceOverrides,
  source: string,
  by: { readonly path?: string; readonly label?: string },
): OverrideMatch | null {
  const entry = overrides.sources[source];
  if (entry === undefined) return null;
  if (by.label !== undefined) {
    const wanted = normalizeLabel(by.label);
    for (const [label, id] of Object.entries(entry.labels)) {
      if (normalizeLabel(label) === wanted) return { id, match: label };
    }
  }
  if (by.path !== undefined) {
    const path = `${pathOf(by.path).toLowerCase().replace(/\/?$/, '/')}`;
    for (const [fragment, id] of Object.entries(entry.paths)) {
      if (path.includes(fragment.toLowerCase())) return { id, match: fragment };
    }
  }
  return null;
}

function pathOf(urlOrPath: string): string {
  if (urlOrPath.startsWith('/')) return urlOrPath;
  try {
    return new URL(urlOrPath).pathname;
  } catch {
    return urlOrPath;
  }
}
