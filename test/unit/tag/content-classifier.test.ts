import { describe, expect, it } from 'vitest';
import { classifyContent, contentFeatures, DEFAULT_CONTENT_MODEL } from '#shared/domain/tag/content.ts';

const STEM = DEFAULT_CONTENT_MODEL.stemLength;

describe('content features', () => {
  it('drops function words so they cannot dilute the topical words', () => {
    const features = contentFeatures('Der Trainer und die Mannschaft: the coach and the team', STEM);

    expect([...features.keys()].sort()).toEqual(['coach', 'mannsch', 'team', 'trainer']);
  });

  it('folds accents and ß so spellings across languages and countries meet', () => {
    const stems = (text: string): string[] => [...contentFeatures(text, STEM).keys()];

    expect(stems('Fußball')).toEqual(stems('Fussball'));
    expect(stems('économiques')).toEqual(stems('economia'));
  });
});

describe('content classifier on short news texts it has never seen (written for this test)', () => {
  it.each([
    [
      'en',
      'technology',
      'Apple releases iOS update to fix security flaw',
      'The software update patches a vulnerability in the browser that hackers used to install malware on iPhones.',
    ],
    [
      'de',
      'business',
      'Inflation drückt auf den Umsatz im Einzelhandel',
      'Die Händler melden im dritten Quartal sinkende Umsätze, die Preise steigen, Unternehmen streichen Stellen.',
    ],
    [
      'fr',
      'politics',
      "L'Assemblée nationale adopte la réforme des retraites",
      "Les députés de la majorité ont voté le projet de loi du gouvernement, l'opposition dépose une motion de censure.",
    ],
    [
      'es',
      'sport',
      'El Real Madrid gana la final de la Copa',
      'El equipo del entrenador marcó dos goles en la segunda parte y los aficionados celebraron el título en el estadio.',
    ],
    [
      'de',
      'culture',
      'Neuer Roman gewinnt den Deutschen Buchpreis',
      'Die Autorin las auf der Buchmesse aus ihrem Buch, der Verlag feiert die Auszeichnung, die Kritik lobt die Literatur.',
    ],
  ])('ranks a %s %s text first', (_language, section, title, lead) => {
    const prediction = classifyContent(`${title}\n${title}\n${lead}`);

    expect(prediction.scores[0]?.id).toBe(section);
    expect(prediction.scores[0]?.terms.length).toBeGreaterThan(0);
  });
});

describe('content classifier: the angle of a story decides, not its topic (texts written for this test)', () => {
  it.each([
    [
      'politics',
      'Landtag streitet über Windräder im Wald',
      'Die Grünen wollen mehr Flächen für Windkraft ausweisen, CDU und Freie Wähler lehnen den Antrag der Regierungsfraktionen ab. Der Ministerpräsident wirbt um einen Kompromiss vor der Abstimmung im Plenum.',
    ],
    [
      'politics',
      'Koalition einigt sich auf Pflegereform',
      'Die Fraktionen von Union und SPD haben sich im Koalitionsausschuss auf höhere Beiträge verständigt. Der Gesundheitsminister will den Gesetzentwurf noch vor der Sommerpause in den Bundestag einbringen.',
    ],
    [
      'business',
      'Windparkbetreiber steigert Gewinn',
      'Der Konzern hat im ersten Halbjahr mehr Strom verkauft und den Umsatz um zwölf Prozent gesteigert. Die Aktie legte an der Börse zu, Analysten heben ihr Kursziel an.',
    ],
  ])('ranks %s first for "%s"', (section, title, lead) => {
    const prediction = classifyContent(`${title}\n${title}\n${lead}`);

    expect(prediction.scores[0]?.id).toBe(section);
    expect(prediction.confident).toBe(true);
  });
});
