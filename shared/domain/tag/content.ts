/**
 * Content classifier: a compact multinomial logistic regression over stemmed word features,
 * trained by `scripts/train-sections.ts` and shipped as `content-model.json`. Pure and
 * in-process: no network, no large model, a few hundred kilobytes of weights at most.
 */
import * as z from 'zod';
import modelData from './content-model.json' with { type: 'json' };

export const ContentModelSchema = z.object({
  /** Model version: bumped by every training run that changes the weights. */
  version: z.string(),
  vocabularyVersion: z.string(),
  classes: z.array(z.string()).min(2),
  /** Characters kept of each folded token: a crude stemmer that works across languages. */
  stemLength: z.number().int().min(3),
  /** Divisor of the stored integer weights. */
  scale: z.number().positive(),
  bias: z.array(z.number().int()),
  /** Softmax temperature fitted on held-out predictions so scores are calibrated. */
  temperature: z.number().positive(),
  /** Below this probability the classifier abstains (section null, candidates kept). */
  minConfidence: z.number().min(0).max(1),
  /** Term → flat pairs `[classIndex, weight, classIndex, weight, …]` (weights × scale, rounded). */
  terms: z.record(z.string(), z.array(z.number().int())),
  provenance: z.string().optional(),
});
export type ContentModel = z.infer<typeof ContentModelSchema>;

/** The bundled model, validated once per process. */
export const DEFAULT_CONTENT_MODEL: ContentModel = ContentModelSchema.parse(modelData);

/** One class probability with the terms that pushed it up most. */
export interface ContentScore {
  readonly id: string;
  readonly probability: number;
  /** Surface words from the text with the largest positive contribution, best first. */
  readonly terms: readonly string[];
}

/** Classifier output: every class, most probable first, and whether the best is confident. */
export interface ContentPrediction {
  readonly scores: readonly ContentScore[];
  readonly confident: boolean;
}

/**
 * Function words of the four languages: they carry no topic, yet they are the most frequent
 * tokens, so keeping them would dilute the length-normalized weight of the topical words.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `the a an and or of to in on at for with by from as is are was were be been it its this that
  der die das den dem des ein eine einer einen und oder nicht ist sind war mit von zu zum zur im am an auf für bei aus nach vor über um als wie auch
  le la les un une des du de et ou ne pas est sont avec pour par dans sur au aux en ce qui que il elle nous vous je se sa son ses
  el los las unos unas y o no es son con para por en sobre al del lo que se su sus`.split(/\s+/),
);

/**
 * Fold text into features: accents stripped, lower case, letters/digits runs of length ≥ 2 that
 * are not function words, cut to `stemLength` characters ("économiques" and "economia" both
 * become "economi" at 7).
 */
export function contentFeatures(
  text: string,
  stemLength: number,
): Map<string, { count: number; surface: string }> {
  const features = new Map<string, { count: number; surface: string }>();
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  for (const word of words) {
    if (STOPWORDS.has(word)) continue;
    const stem = foldToken(word, stemLength);
    const entry = features.get(stem);
    if (entry === undefined) features.set(stem, { count: 1, surface: word });
    else entry.count += 1;
  }
  return features;
}

/** Accent-folded, truncated form of one lower-case word (the model's feature key). */
export function foldToken(word: string, stemLength: number): string {
  let folded = FOLDED.get(stemLength);
  if (folded === undefined) {
    folded = new Map();
    FOLDED.set(stemLength, folded);
  }
  const known = folded.get(word);
  if (known !== undefined) return known;
  const stem = word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .slice(0, stemLength);
  // The same few thousand words recur in every article, and folding one (Unicode decomposition
  // and two replacements) was most of the classifier's cost per word; bounded, so a stream of
  // unusual words cannot grow the memo without end.
  if (folded.size >= FOLDED_MAX) folded.clear();
  folded.set(word, stem);
  return stem;
}

/** {@link foldToken}'s results by stem length, then word. */
const FOLDED = new Map<number, Map<string, string>>();
const FOLDED_MAX = 50_000;

/**
 * Feature values as the model sees them: log(1 + count), L2-normalized over the features the
 * model knows, so a long article does not produce overconfident scores just by being long.
 */
export function featureVector(
  features: ReadonlyMap<string, { count: number }>,
  model: Pick<ContentModel, 'terms'>,
): Map<string, number> {
  const vector = new Map<string, number>();
  let norm = 0;
  for (const [stem, { count }] of features) {
    if (!Object.hasOwn(model.terms, stem)) continue;
    const value = Math.log1p(count);
    vector.set(stem, value);
    norm += value * value;
  }
  const length = Math.sqrt(norm);
  if (length > 0) for (const [stem, value] of vector) vector.set(stem, value / length);
  return vector;
}

/** Softmax with temperature, numerically stable. */
export function softmax(logits: readonly number[], temperature = 1): number[] {
  const scaled = logits.map((l) => l / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Raw class scores (before the softmax) of a feature vector; a class's terms are
 * {@link contributionsTo}, found only for the classes shown.
 */
export function scoreVector(
  vector: ReadonlyMap<string, number>,
  model: Pick<ContentModel, 'bias' | 'scale' | 'terms'>,
): { logits: number[] } {
  const logits = model.bias.map((b) => b / model.scale);
  for (const [stem, value] of vector) {
    const pairs = model.terms[stem] ?? [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const c = pairs[i]!;
      logits[c] = (logits[c] ?? 0) + (pairs[i + 1]! / model.scale) * value;
    }
  }
  return { logits };
}

/** Each term's share of class `c`'s raw score, in the vector's order. */
function contributionsTo(
  c: number,
  vector: ReadonlyMap<string, number>,
  model: Pick<ContentModel, 'scale' | 'terms'>,
): Map<string, number> {
  const shares = new Map<string, number>();
  for (const [stem, value] of vector) {
    const pairs = model.terms[stem] ?? [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i] === c) shares.set(stem, (pairs[i + 1]! / model.scale) * value);
    }
  }
  return shares;
}

/** Classify a text (title + body). Pure; cost is linear in the text length. */
export function classifyContent(
  text: string,
  model: ContentModel = DEFAULT_CONTENT_MODEL,
): ContentPrediction {
  const features = contentFeatures(text, model.stemLength);
  const vector = featureVector(features, model);
  const { logits } = scoreVector(vector, model);
  const probabilities = vector.size === 0 ? model.classes.map(() => 0) : softmax(logits, model.temperature);
  // A section's terms (its five largest positive contributions) are found when read: callers
  // show them for the two or three best sections, not all fifteen.
  const termsOf = (c: number): string[] =>
    [...contributionsTo(c, vector, model)]
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([stem]) => features.get(stem)?.surface ?? stem);
  const scores = model.classes
    .map((id, c) => {
      let terms: string[] | undefined;
      return {
        id,
        probability: probabilities[c] ?? 0,
        get terms() {
          terms ??= termsOf(c);
          return terms;
        },
      };
    })
    .sort((a, b) => b.probability - a.probability);
  return { scores, confident: (scores[0]?.probability ?? 0) >= model.minConfidence };
}
