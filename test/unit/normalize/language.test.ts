import { eld } from 'eld/extrasmall';
import { describe, expect, it } from 'vitest';
import { confidentLanguage, detectLanguage } from '#shared/domain/normalize/language.ts';

// Opening sentences of news reports, one per script family the pipeline sees.
const SAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['en', 'The city council approved the new budget on Tuesday after a long debate about school funding.'],
  ['de', 'Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt für die Schulen beschlossen.'],
  ['fr', 'Le conseil municipal a adopté mardi le nouveau budget après un long débat sur les écoles.'],
  ['es', 'El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre las escuelas.'],
  ['pl', 'Rada miasta przyjęła we wtorek nowy budżet po długiej debacie o finansowaniu szkół.'],
  ['ru', 'Городской совет во вторник утвердил новый бюджет после долгих дебатов о финансировании школ.'],
  ['el', 'Το δημοτικό συμβούλιο ενέκρινε την Τρίτη τον νέο προϋπολογισμό μετά από μακρά συζήτηση.'],
  ['ar', 'وافق مجلس المدينة يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل حول تمويل المدارس.'],
  ['zh', '市议会周二在就学校经费问题进行长时间辩论后批准了新的预算方案。'],
  ['ja', '市議会は火曜日、学校の予算について長い議論の末に新しい予算案を承認しました。'],
  ['ko', '시의회는 화요일 학교 예산에 대한 긴 논쟁 끝에 새 예산안을 승인했다.'],
  ['hi', 'नगर परिषद ने मंगलवार को स्कूलों के बजट पर लंबी बहस के बाद नया बजट मंजूर किया।'],
];

describe('language detection on the packed eld database', () => {
  it.each(SAMPLES)('names %s for a news sentence in that language', (language, text) => {
    // Act
    const detected = detectLanguage(text);

    // Assess
    expect(detected).toBe(language);
  });

  it('gives the same answer as eld itself on the same database, reliability included', () => {
    // Prepare
    const texts = SAMPLES.map(([, text]) => text).concat([
      'Breaking: markets fall',
      'Ça va? Oui, merci beaucoup',
    ]);

    // Act
    const ours = texts.map((t) => [detectLanguage(t), confidentLanguage(t)]);

    // Assess
    const theirs = texts.map((t) => {
      const result = eld.detect(t);
      const letters = t.replace(/[\s\p{P}\p{N}]/gu, '').length;
      return [
        letters < 12 ? null : result.language || null,
        letters < 20 || !result.isReliable() ? null : result.language || null,
      ];
    });
    expect(ours).toEqual(theirs);
  });

  it('abstains on text too short to tell', () => {
    // Act
    const detected = detectLanguage('OK 12, 34!');

    // Assess
    expect(detected).toBeNull();
  });
});
