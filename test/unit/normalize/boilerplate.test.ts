import { describe, expect, it } from 'vitest';
import { isPageNote, TERMINATOR } from '#shared/domain/normalize/boilerplate.ts';

describe('isPageNote: lines that label, date or credit the page', () => {
  it('recognises photo credits, category labels and ad disclosures in several languages', () => {
    const notes = [
      'Foto: Stadt Essen / Peter Schmidt',
      'Crédits photos : Bestimage',
      'Photograph by Jane Doe',
      'Titelbild:',
      'Themen: Ehrenamt Jugendverbände',
      'Kategorie: News, open3',
      'Tags: climate, energy',
      '- Anzeige-',
      'Anzeige, enthält Affiliate Links',
    ];
    for (const line of notes) expect(isPageNote(line), line).toBe(true);
  });

  it('recognises bare dates and publication labels', () => {
    for (const line of [
      '23.10.2018',
      '12.12.2022, 08:30 Uhr',
      '7. oktober 2020',
      'Aktualisiert am',
      'Release Date:',
      'Published on March 3, 2021',
      'opublikowano:',
    ])
      expect(isPageNote(line), line).toBe(true);
  });

  it('recognises calls to subscribe, follow, download the app or donate', () => {
    for (const line of [
      'Subscribe now to our print edition for the full story.',
      'Follow The Courier on Twitter and Instagram.',
      'For breaking news download the Courier apps for iOS and Android.',
      'Siguenos en Telegram, Instagram, Facebook y Twitter',
      'Jede kleine Spende hilft uns, unabhängig zu bleiben.',
    ])
      expect(isPageNote(line), line).toBe(true);
  });

  it('leaves article sentences alone, even when they mention a date, a photo or a source', () => {
    for (const line of [
      'Am 23.10.2018 wurde die Brücke für den Verkehr freigegeben.',
      'The photo was taken by a passer-by on Tuesday evening.',
      'Quellen aus dem Ministerium bestätigten den Bericht am Montag.',
      'Werbung nervt. Tracking nervt. Nerven nervt.',
      'Die Stadt rechnet mit bis zu 3.000 Fahrten am Tag.',
    ])
      expect(isPageNote(line), line).toBe(false);
  });
});

describe('TERMINATOR: lines that close the article', () => {
  it('matches related-content, comment and feedback lines in several languages', () => {
    for (const line of [
      'Das könnte dich auch interessieren',
      'Vous aimerez aussi',
      'À découvrir',
      'Explore further',
      'Comments are closed.',
      'War der Artikel nützlich?',
      'Quellenangaben:',
      'Artículos relacionados',
    ])
      expect(TERMINATOR.test(line), line).toBe(true);
  });

  it('does not match headings that merely start with similar words', () => {
    for (const line of ['Weitere Schritte der Regierung', 'Explore the coast by bike', 'Quellen des Nils'])
      expect(TERMINATOR.test(line), line).toBe(false);
  });
});
