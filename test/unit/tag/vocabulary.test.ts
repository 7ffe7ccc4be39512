import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_MODEL } from '#shared/domain/tag/content.ts';
import { DEFAULT_OVERRIDES } from '#shared/domain/tag/overrides.ts';
import vocabularyData from '#shared/domain/tag/sections.v1.json' with { type: 'json' };
import {
  DEFAULT_VOCABULARY,
  indexVocabulary,
  matchLabel,
  normalizeLabel,
} from '#shared/domain/tag/vocabulary.ts';

const ids = DEFAULT_VOCABULARY.sections.map((s) => s.id);

describe('section vocabulary', () => {
  it('has about 15 coarse sections, each with labels in en, de, fr and es', () => {
    expect(ids.length).toBeGreaterThanOrEqual(14);
    for (const section of DEFAULT_VOCABULARY.sections) {
      expect(Object.keys(section.labels).sort(), section.id).toEqual(
        expect.arrayContaining(['de', 'en', 'es', 'fr']),
      );
      for (const language of ['en', 'de', 'fr', 'es']) {
        expect(section.synonyms[language]?.length ?? 0, `${section.id}/${language}`).toBeGreaterThan(0);
      }
    }
  });

  it('maps every subject section to an IPTC Media Topic and explains the ones without', () => {
    for (const section of DEFAULT_VOCABULARY.sections) {
      if (section.iptc.length === 0) expect(section.iptcNote, section.id).toBeTruthy();
      else expect(section.iptc[0], section.id).toMatch(/^(medtop:\d{8}|genre:\w+)$/);
    }
    const business = DEFAULT_VOCABULARY.sections.find((s) => s.id === 'business');
    expect(business?.iptc).toContain('medtop:04000000');
  });

  it('rejects a data file where one label names two sections', () => {
    const ambiguous = structuredClone(vocabularyData);
    ambiguous.sections[1]!.synonyms.en!.push('World News');

    expect(() => indexVocabulary(ambiguous)).toThrow(/world news.*maps to both/i);
  });

  it('normalizes labels across scripts, accents and connectors', () => {
    expect(normalizeLabel('  Économie & Finances ')).toBe('economie finances');
    expect(normalizeLabel('Essen und Trinken')).toBe(normalizeLabel('Essen & Trinken'));
  });

  it('finds a section phrase inside a longer label, and none in generic ones', () => {
    expect(matchLabel('Global Economy')).toMatchObject({ id: 'business' });
    expect(matchLabel('The Economy Today')).toMatchObject({
      id: 'business',
      exact: false,
      phrase: 'economy',
    });
    expect(matchLabel('News > Politik')).toMatchObject({ id: 'politics', exact: true });
    expect(matchLabel('Uncategorized')).toBeNull();
    expect(matchLabel('Harry Potter spells')).toBeNull();
  });

  it('keeps overrides and the content model consistent with the vocabulary', () => {
    for (const [source, entry] of Object.entries(DEFAULT_OVERRIDES.sources)) {
      for (const id of [...Object.values(entry.paths), ...Object.values(entry.labels)]) {
        expect(ids, `override for ${source}`).toContain(id);
      }
    }
    expect(DEFAULT_CONTENT_MODEL.classes).toEqual(ids);
    expect(DEFAULT_CONTENT_MODEL.vocabularyVersion).toBe(DEFAULT_VOCABULARY.version);
  });
});
