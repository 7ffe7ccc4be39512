/** HTML page to article parts: metadata from the markup, main text from the DOM. */
import type { Image } from '../../article.ts';
import { extractContent } from './content.ts';
import { parseHtml } from './dom.ts';
import { headingBefore, type PageMetadata, readMetadata } from './metadata.ts';

export type { PageMetadata } from './metadata.ts';

export interface ExtractedPage {
  readonly metadata: PageMetadata;
  readonly paragraphs: readonly string[];
  readonly image: Image | null;
}

/** Extract metadata and main text from an HTML page. `url` resolves relative links and hints dates. */
export function extractHtml(html: string, url: string | null = null): ExtractedPage {
  const doc = parseHtml(html);
  const read = readMetadata(doc, url);
  const { paragraphs, image, start } = extractContent(doc, read.title, read.imageUrl);
  const heading = read.titleInHeadings || start === null ? null : headingBefore(start);
  const metadata = heading === null ? read : { ...read, title: heading };
  return { metadata, paragraphs, image };
}
