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

describe('date: sources beyond news article markup', () => {
  it('reads the publication date of a schema.org HowTo', () => {
    // Prepare
    const ld =
      '{"@context":"https://schema.org","@type":"HowTo","name":"Tischdecke nähen","datePublished":"2022-01-10T22:06:08Z"}';

    // Act
    const meta = read(`<script type="application/ld+json">${ld}</script>`, '<p>Schritt 1</p>');

    // Assess
    expect(meta.publishedDay).toBe('2022-01-10');
  });

  it('reads a Russian date written next to the headline', () => {
    // Prepare
    const body =
      '<h1>Подольски завершил карьеру в сборной</h1><span>15 августа 2016, 13:43</span><p>Текст.</p>';

    // Act
    const meta = read('', body);

    // Assess
    expect(meta.publishedDay).toBe('2016-08-15');
  });
});
