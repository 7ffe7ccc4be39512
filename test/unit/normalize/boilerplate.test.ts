import { describe, expect, it } from 'vitest';
import { isFurniture, isPageNote, TERMINATOR } from '#shared/domain/normalize/boilerplate.ts';

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

  it('recognises a date with a label or two, and captions closing on a credit', () => {
    for (const line of [
      '02.02.2022 A-Frauen',
      'Energie 12.12.2022, 08:30 Uhr',
      'Publiziert: 03.04.2020, 12:35',
      'January 13, 2020 at 08:45 AM | categories: Python, Mercurial',
      'Verfasst von: mitundvoneinander | 31. Dezember 2008',
      'Das Hermelin ist im Winter gut getarnt. (mlharing / iStock.com)',
      'Eine kleine runde Aussparung für die Kamera im Display. © Apple',
      'Son tres los periodos de vacaciones durante el año escolar. Foto: Andina',
    ])
      expect(isPageNote(line), line).toBe(true);
  });

  it('keeps a labelled date that is a fact of the article (deadlines, appointments)', () => {
    for (const line of ['Termin: 29.02.2020, 19 Uhr', 'Einsendeschluss: 03.11.2019 (Poststempel)'])
      expect(isPageNote(line), line).toBe(false);
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

describe('isFurniture: widget lines', () => {
  it('matches share, like, print and table-of-contents lines, whatever their punctuation', () => {
    for (const line of [
      'Gefällt mir Wird geladen...',
      'Rezept drucken Bei Pinterest speichern',
      'Kommentarfeed | Kommentare geschlossen | Trackback-URL',
      'Jetzt teilen!',
      '- Anzeige-',
      'Inhaltsverzeichnis',
    ])
      expect(isFurniture(line), line).toBe(true);
    expect(isFurniture('Teilen Sie Ihre Erfahrungen mit uns')).toBe(false);
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
      'Mehr zu Klima und Konsum',
      'Kommende Events',
      'Audios et vidéos sur le sujet',
    ])
      expect(TERMINATOR.test(line), line).toBe(true);
  });

  it('does not match headings that merely start with similar words', () => {
    for (const line of ['Weitere Schritte der Regierung', 'Explore the coast by bike', 'Quellen des Nils'])
      expect(TERMINATOR.test(line), line).toBe(false);
  });
});
