import { describe, expect, it } from 'vitest';
import { parseHtml } from '#shared/domain/normalize/html/dom.ts';
import { readMetadata } from '#shared/domain/normalize/html/metadata.ts';

const read = (head: string, body: string, url = 'https://news.example.org/a/story') =>
  readMetadata(parseHtml(`<html><head>${head}</head><body>${body}</body></html>`), url);

describe('title: the headline proper out of a heading with a kicker', () => {
  it('drops a kicker written as an element before bare headline text', () => {
    // Prepare
    const head = '<meta property="og:title" content="Große Aufgaben für die neue Regierung">';
    const body = '<h1><small>Tunesien</small><br> Große Aufgaben für die neue Regierung </h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Große Aufgaben für die neue Regierung');
  });

  it('keeps a headline whose words are set in inline markup', () => {
    // Prepare
    const head = '<meta property="og:title" content="Ehezoff der Pochers eskaliert">';
    const body = '<h1><span class="mc">Ehezoff</span> der Pochers eskaliert</h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Ehezoff der Pochers eskaliert');
  });
});
