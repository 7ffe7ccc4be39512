/** Shared text variants for the dedupe unit tests, built from real article fixtures. */
import { readFileSync } from 'node:fs';

/** Read a fixture text from test/fixtures/dedupe. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/dedupe/${name}`, import.meta.url), 'utf8');

/** Replace every `step`-th word with a different word: a light copy edit. */
export function editWords(text: string, step: number): string {
  let i = 0;
  return text.replace(/\p{L}+/gu, (w) => {
    i += 1;
    return i % step === 0 ? `${w}x` : w;
  });
}

/** The first `share` of the words, whitespace kept. */
export function truncate(text: string, share: number): string {
  const words = text.split(/(?<=\s)(?=\S)/);
  return words
    .slice(0, Math.max(1, Math.round(words.length * share)))
    .join('')
    .trimEnd();
}

/** The text with every word tagged `tag`: a story that shares no shingle with other tags. */
export const retag = (text: string, tag: string): string => text.replace(/\p{L}+/gu, (w) => `${w}${tag}`);
