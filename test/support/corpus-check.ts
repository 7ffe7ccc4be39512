/**
 * Compare what became of one corpus input with what the manifest expects; returns the problems
 * in words (empty when all is as expected), so a failing test lists every file that went wrong.
 */
import type { Expectation } from './bad-input.ts';

/** What became of one (file, line): an article, a failure, or nothing. */
export type Observed =
  | {
      readonly outcome: 'stored';
      readonly title: string | null;
      readonly text: string;
      readonly language: string | null;
    }
  | { readonly outcome: 'failed'; readonly code: string | null; readonly reason: string }
  | { readonly outcome: 'none' };

/** Problems with `observed` against `expected` for `label` (`file` or `file:line`). */
export function compare(label: string, expected: Expectation, observed: Observed): string[] {
  const problems: string[] = [];
  const show = (o: Observed): string =>
    o.outcome === 'failed'
      ? `failed (${o.code ?? '?'}: ${o.reason})`
      : o.outcome === 'stored'
        ? `stored with title ${JSON.stringify(o.title)}`
        : 'nothing recorded';
  switch (expected.outcome) {
    case 'ignored':
      if (observed.outcome === 'stored')
        problems.push(`${label}: expected no article, got ${show(observed)}`);
      break;
    case 'failed':
      if (observed.outcome !== 'failed') {
        problems.push(`${label}: expected failed (${expected.code}), got ${show(observed)}`);
        break;
      }
      if (observed.code !== null && observed.code !== expected.code) {
        problems.push(`${label}: expected code ${expected.code}, got ${observed.code} (${observed.reason})`);
      }
      if (!new RegExp(expected.reason, 'i').test(observed.reason)) {
        problems.push(`${label}: reason "${observed.reason}" does not match /${expected.reason}/i`);
      }
      break;
    case 'stored': {
      if (observed.outcome !== 'stored') {
        problems.push(`${label}: expected stored, got ${show(observed)}`);
        break;
      }
      if (expected.title !== undefined && observed.title !== expected.title) {
        problems.push(
          `${label}: title ${JSON.stringify(observed.title)}, expected ${JSON.stringify(expected.title)}`,
        );
      }
      const flat = observed.text.replace(/\s+/g, ' ');
      for (const s of expected.textIncludes) {
        if (!flat.includes(s.replace(/\s+/g, ' ')))
          problems.push(`${label}: text lacks ${JSON.stringify(s)}`);
      }
      for (const s of expected.textExcludes) {
        if (observed.text.includes(s) || (observed.title ?? '').includes(s)) {
          problems.push(`${label}: text contains ${JSON.stringify(s)}`);
        }
      }
      if (expected.language !== undefined && observed.language !== expected.language) {
        problems.push(`${label}: language ${observed.language}, expected ${expected.language}`);
      }
      break;
    }
  }
  return problems;
}
