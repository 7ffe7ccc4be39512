/**
 * `npm run compare:language [-- --dir DIR]`
 *
 * Agreement of our packed detector (shared/domain/normalize/language.ts) with eld's own
 * 'small' database (what shipped before) and 'extrasmall' (the database we pack), over the
 * main text our extractor takes from each extraction-dev page, and over each of its paragraphs
 * (short texts, where a smaller database shows first). Reports the language (detectLanguage) and
 * the confident verdict (confidentLanguage) separately.
 */
import { parseArgs } from 'node:util';
import { eld as eldExtraSmall } from 'eld/extrasmall';
import { eld as eldSmall } from 'eld/small';
import { confidentLanguage, detectLanguage } from '../shared/domain/normalize/language.ts';
import { DEFAULT_DEV_DIR, decodePage, loadDevSet, ours } from './extraction-dev.ts';

const { values } = parseArgs({ options: { dir: { type: 'string', default: DEFAULT_DEV_DIR } } });

type Eld = typeof eldSmall;
// The same gates as language.ts, with eld doing the scoring.
const eldLanguage = (eld: Eld, text: string): string | null => {
  const sample = text.slice(0, 3000);
  if (sample.replace(/[\s\p{P}\p{N}]/gu, '').length < 12) return null;
  return eld.detect(sample).language || null;
};
const eldConfident = (eld: Eld, text: string): string | null => {
  if (text.replace(/[\s\p{P}\p{N}]/gu, '').length < 20) return null;
  const result = eld.detect(text.slice(0, 3000));
  return result.language !== '' && result.isReliable() ? result.language : null;
};

const pages = loadDevSet(values.dir!);
const agree = { small: 0, extrasmall: 0, confidentSmall: 0, confidentExtrasmall: 0 };
const languages = new Map<string, number>();
const differences: string[] = [];
const para = { count: 0, small: 0, extrasmall: 0, confidentSmall: 0 };
for (const page of pages) {
  const text = ours(decodePage(page).text, page.truth.url).text;
  const ours1 = detectLanguage(text);
  const small = eldLanguage(eldSmall, text);
  languages.set(small ?? '-', (languages.get(small ?? '-') ?? 0) + 1);
  if (ours1 === small) agree.small++;
  else differences.push(`${page.truth.id} small=${small} ours=${ours1} ${JSON.stringify(text.slice(0, 80))}`);
  if (ours1 === eldLanguage(eldExtraSmall, text)) agree.extrasmall++;
  const confident = confidentLanguage(text);
  if (confident === eldConfident(eldSmall, text)) agree.confidentSmall++;
  if (confident === eldConfident(eldExtraSmall, text)) agree.confidentExtrasmall++;
  for (const paragraph of text.split('\n')) {
    const language = detectLanguage(paragraph);
    if (language === null && eldLanguage(eldSmall, paragraph) === null) continue;
    para.count++;
    if (language === eldLanguage(eldSmall, paragraph)) para.small++;
    if (language === eldLanguage(eldExtraSmall, paragraph)) para.extrasmall++;
    if (confidentLanguage(paragraph) === eldConfident(eldSmall, paragraph)) para.confidentSmall++;
  }
}
const pct = (n: number): string => `${((100 * n) / pages.length).toFixed(1)}%`;
console.log(
  `${pages.length} pages; languages by eld small: ${[...languages].map(([l, n]) => `${l} ${n}`).join(', ')}`,
);
console.log(
  `detectLanguage agrees with eld small on ${agree.small} (${pct(agree.small)}), with eld extrasmall on ${agree.extrasmall} (${pct(agree.extrasmall)})`,
);
console.log(
  `confidentLanguage agrees with eld small on ${agree.confidentSmall} (${pct(agree.confidentSmall)}), with eld extrasmall on ${agree.confidentExtrasmall} (${pct(agree.confidentExtrasmall)})`,
);
const paraPct = (n: number): string => `${((100 * n) / para.count).toFixed(1)}%`;
console.log(
  `${para.count} paragraphs with a language: detectLanguage agrees with eld small on ${paraPct(para.small)}, with eld extrasmall on ${paraPct(para.extrasmall)}; confidentLanguage agrees with eld small on ${paraPct(para.confidentSmall)}`,
);
for (const d of differences) console.log(`  ${d}`);
