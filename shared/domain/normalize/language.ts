/** Language detection from the text with eld (the small static data set keeps bundles lean). */
import { eld } from 'eld/small';

// eld scores n-grams; a few hundred characters per paragraph are as good as the whole text.
const SAMPLE_CHARS = 3000;

/** ISO 639-1 code of `text`, or null when the text is too short or eld cannot tell. */
export function detectLanguage(text: string): string | null {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  if (sample.replace(/[\s\p{P}\p{N}]/gu, '').length < 12) return null;
  const result = eld.detect(sample);
  return result.language === '' ? null : result.language;
}

/** Language of a short block when eld is confident enough to act on it, else null. */
export function confidentLanguage(text: string): string | null {
  if (text.replace(/[\s\p{P}\p{N}]/gu, '').length < 20) return null;
  const result = eld.detect(text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text);
  return result.language !== '' && result.isReliable() ? result.language : null;
}
