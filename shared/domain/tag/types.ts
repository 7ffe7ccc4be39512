/** Contract of the tag domain: a normalized article in, a primary section and scored candidates out. */
import type { NormalizedArticle, Provenance, SectionScore } from '../article.ts';

export interface TagResult {
  /** Primary canonical section id, or null when no evidence is confident enough. */
  readonly section: string | null;
  /** Candidates, best first, each with the evidence used. */
  readonly sections: readonly SectionScore[];
  /** Version of the vocabulary data file used. */
  readonly vocabularyVersion: string;
}

/**
 * What tagging reads from an article: every {@link NormalizedArticle} is one, and so is an
 * article rebuilt from a stored item for re-tagging.
 */
export type TagInput = Pick<
  NormalizedArticle,
  'title' | 'text' | 'sectionLabels' | 'canonicalUrl' | 'hints'
> &
  Partial<Pick<NormalizedArticle, 'siteName'>> & {
    readonly provenance: Pick<Provenance, 'source'> & Partial<Pick<Provenance, 'rawKey'>>;
  };
