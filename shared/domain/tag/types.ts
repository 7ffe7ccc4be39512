/** Contract of the tag domain: a normalized article in, a primary section and scored candidates out. */
import type { SectionScore } from '../article.ts';

export interface TagResult {
  /** Primary canonical section id, or null when no evidence is confident enough. */
  readonly section: string | null;
  /** Candidates, best first, each with the evidence used. */
  readonly sections: readonly SectionScore[];
  /** Version of the vocabulary data file used. */
  readonly vocabularyVersion: string;
}
