/**
 * Train the content classifier: multinomial logistic regression (L2, class-balanced) over
 * stemmed word features, temperature-calibrated on cross-validated predictions, pruned and
 * quantized into shared/domain/tag/content-model.json.
 *
 * Training data (provenance in data/sections/README.md): the `train` split of
 * data/sections/labels.jsonl (dev-set pages, texts read at run time), data/sections/own-texts.jsonl
 * and the seed lexicon. The `eval` split is never read here.
 *
 *   npm run train:sections
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ContentModel, contentFeatures, featureVector, softmax } from '#shared/domain/tag/content.ts';
import { contentText } from '#shared/domain/tag/index.ts';
import { DEFAULT_VOCABULARY } from '#shared/domain/tag/vocabulary.ts';
import { type CorpusItem, DATA_DIR, loadCorpus } from './lib/section-corpus.ts';

const STEM_LENGTH = 7;
const MIN_DOC_FREQ = 2;
const L2 = 1e-3;
const EPOCHS = 400;
const LEARNING_RATE = 0.5;
const FOLDS = 5;
const MAX_TERMS = 7000;
const SCALE = 100;
const SEED_WEIGHT = 3;
const OUT = 'shared/domain/tag/content-model.json';

interface Doc {
  readonly label: number;
  readonly features: Map<string, { count: number; surface: string }>;
  readonly weight: number;
}

const classes = DEFAULT_VOCABULARY.sections.map((s) => s.id);
const classIndex = new Map(classes.map((c, i) => [c, i]));

function seedDocs(): Doc[] {
  const seed = JSON.parse(readFileSync(join(DATA_DIR, 'seed-lexicon.json'), 'utf8')) as {
    sections: Record<string, Record<string, string>>;
  };
  const docs: Doc[] = [];
  for (const [section, byLanguage] of Object.entries(seed.sections)) {
    const label = classIndex.get(section);
    if (label === undefined) throw new Error(`seed lexicon: unknown section ${section}`);
    for (const words of Object.values(byLanguage)) {
      docs.push({ label, features: contentFeatures(words, STEM_LENGTH), weight: SEED_WEIGHT });
    }
  }
  return docs;
}

function corpusDocs(items: readonly CorpusItem[]): Doc[] {
  return items.map((item) => {
    const label = classIndex.get(item.label);
    if (label === undefined) throw new Error(`${item.id}: unknown label ${item.label}`);
    return { label, features: contentFeatures(contentText(item.article), STEM_LENGTH), weight: 1 };
  });
}

/** Terms seen in at least MIN_DOC_FREQ documents (seed words always count). */
function selectTerms(docs: readonly Doc[]): Set<string> {
  const df = new Map<string, number>();
  for (const d of docs) {
    for (const stem of d.features.keys())
      df.set(stem, (df.get(stem) ?? 0) + (d.weight > 1 ? MIN_DOC_FREQ : 1));
  }
  return new Set([...df].filter(([, n]) => n >= MIN_DOC_FREQ).map(([t]) => t));
}

interface Weights {
  readonly terms: string[];
  readonly w: Float64Array; // terms × classes
  readonly b: Float64Array;
}

/** Full-batch gradient descent with Adam on the class-balanced cross-entropy + L2. */
function train(docs: readonly Doc[], termSet: ReadonlySet<string>): Weights {
  const terms = [...termSet].sort();
  const termIndex = new Map(terms.map((t, i) => [t, i]));
  const C = classes.length;
  const dict = Object.fromEntries(terms.map((t) => [t, [] as number[]]));
  const vectors = docs.map((d) =>
    [...featureVector(d.features, { terms: dict })].map(([t, v]) => [termIndex.get(t)!, v] as const),
  );
  const counts = new Array<number>(C).fill(0);
  for (const d of docs) counts[d.label]! += d.weight;
  const present = counts.filter((c) => c > 0).length;
  const total = counts.reduce((a, b) => a + b, 0);
  const classWeight = counts.map((c) => (c > 0 ? total / (present * c) : 0));

  const w = new Float64Array(terms.length * C);
  const b = new Float64Array(C);
  const mW = new Float64Array(w.length);
  const vW = new Float64Array(w.length);
  const mB = new Float64Array(C);
  const vB = new Float64Array(C);
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const gW = new Float64Array(w.length);
    const gB = new Float64Array(C);
    let norm = 0;
    docs.forEach((d, i) => {
      const x = vectors[i]!;
      const logits = Array.from(b);
      for (const [t, v] of x) for (let c = 0; c < C; c++) logits[c]! += w[t * C + c]! * v;
      const p = softmax(logits);
      const sw = d.weight * classWeight[d.label]!;
      norm += sw;
      for (let c = 0; c < C; c++) {
        const g = sw * (p[c]! - (c === d.label ? 1 : 0));
        gB[c]! += g;
        for (const [t, v] of x) gW[t * C + c]! += g * v;
      }
    });
    const lr = LEARNING_RATE / Math.sqrt(epoch);
    for (let k = 0; k < w.length; k++) {
      const g = gW[k]! / norm + L2 * w[k]!;
      mW[k] = beta1 * mW[k]! + (1 - beta1) * g;
      vW[k] = beta2 * vW[k]! + (1 - beta2) * g * g;
      w[k]! -= (lr * (mW[k]! / (1 - beta1 ** epoch))) / (Math.sqrt(vW[k]! / (1 - beta2 ** epoch)) + 1e-8);
    }
    for (let c = 0; c < C; c++) {
      const g = gB[c]! / norm;
      mB[c] = beta1 * mB[c]! + (1 - beta1) * g;
      vB[c] = beta2 * vB[c]! + (1 - beta2) * g * g;
      b[c]! -= (lr * (mB[c]! / (1 - beta1 ** epoch))) / (Math.sqrt(vB[c]! / (1 - beta2 ** epoch)) + 1e-8);
    }
  }
  return { terms, w, b };
}

/** Prune small weights, keep the MAX_TERMS terms with the largest weight, quantize. */
function toModel(
  weights: Weights,
  temperature: number,
  minConfidence: number,
  provenance: string,
): ContentModel {
  const C = classes.length;
  const ranked = weights.terms
    .map((term, t) => {
      let max = 0;
      for (let c = 0; c < C; c++) max = Math.max(max, Math.abs(weights.w[t * C + c]!));
      return { term, t, max };
    })
    .sort((a, b) => b.max - a.max)
    .slice(0, MAX_TERMS);
  const terms: Record<string, number[]> = {};
  for (const { term, t } of ranked.sort((a, b) => (a.term < b.term ? -1 : 1))) {
    const pairs: number[] = [];
    for (let c = 0; c < C; c++) {
      const q = Math.round(weights.w[t * C + c]! * SCALE);
      if (Math.abs(q) >= 3) pairs.push(c, q);
    }
    if (pairs.length > 0) terms[term] = pairs;
  }
  const version = new Date().toISOString().slice(0, 10);
  return {
    version: `lr-${version}-${Object.keys(terms).length}`,
    vocabularyVersion: DEFAULT_VOCABULARY.version,
    classes,
    stemLength: STEM_LENGTH,
    scale: SCALE,
    bias: Array.from(weights.b, (x) => Math.round(x * SCALE)),
    temperature: Math.round(temperature * 100) / 100,
    minConfidence,
    terms,
    provenance,
  };
}

function logitsFor(model: Weights, d: Doc): number[] {
  const C = classes.length;
  const index = new Map(model.terms.map((t, i) => [t, i]));
  const dict = Object.fromEntries(model.terms.map((t) => [t, [] as number[]]));
  const logits = Array.from(model.b);
  for (const [t, v] of featureVector(d.features, { terms: dict })) {
    const ti = index.get(t)!;
    for (let c = 0; c < C; c++) logits[c]! += model.w[ti * C + c]! * v;
  }
  return logits;
}

/** Cross-validated logits for the corpus docs (seed docs always in training). */
function crossValidate(docs: readonly Doc[], seeds: readonly Doc[]): { logits: number[]; label: number }[] {
  const out: { logits: number[]; label: number }[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const trainDocs = [...seeds, ...docs.filter((_, i) => i % FOLDS !== fold)];
    const model = train(trainDocs, selectTerms(trainDocs));
    docs.forEach((d, i) => {
      if (i % FOLDS === fold) out.push({ logits: logitsFor(model, d), label: d.label });
    });
  }
  return out;
}

function fitTemperature(predictions: readonly { logits: number[]; label: number }[]): number {
  let best = { t: 1, nll: Number.POSITIVE_INFINITY };
  for (let t = 0.2; t <= 5; t += 0.05) {
    const nll = predictions.reduce(
      (s, p) => s - Math.log(Math.max(1e-12, softmax(p.logits, t)[p.label]!)),
      0,
    );
    if (nll < best.nll) best = { t, nll };
  }
  return best.t;
}

/** Lowest threshold at which the answered CV predictions are at least 90 % right. */
function chooseThreshold(predictions: readonly { logits: number[]; label: number }[], t: number): number {
  const scored = predictions.map((p) => {
    const probs = softmax(p.logits, t);
    const top = probs.indexOf(Math.max(...probs));
    return { confidence: probs[top]!, right: top === p.label };
  });
  for (let threshold = 0.3; threshold < 0.95; threshold += 0.05) {
    const answered = scored.filter((s) => s.confidence >= threshold);
    const precision = answered.filter((s) => s.right).length / Math.max(1, answered.length);
    if (precision >= 0.9) return Math.round(threshold * 100) / 100;
  }
  return 0.9;
}

async function main(): Promise<void> {
  const seeds = seedDocs();
  let items: CorpusItem[] = [];
  let extractor = 'none';
  if (existsSync(join(DATA_DIR, 'labels.jsonl'))) {
    const corpus = await loadCorpus();
    items = corpus.items.filter((i) => i.split === 'train');
    extractor = corpus.extractor;
  }
  const docs = corpusDocs(items);
  let temperature = 1;
  let minConfidence = 0.5;
  if (docs.length >= FOLDS * 10) {
    const cv = crossValidate(docs, seeds);
    temperature = fitTemperature(cv);
    minConfidence = chooseThreshold(cv, temperature);
    const right = cv.filter((p) => p.logits.indexOf(Math.max(...p.logits)) === p.label).length;
    console.log(`cross-validated accuracy ${(right / cv.length).toFixed(3)} on ${cv.length} training docs`);
  }
  const all = [...seeds, ...docs];
  const weights = train(all, selectTerms(all));
  const provenance =
    `trained ${new Date().toISOString()} by scripts/train-sections.ts on ${docs.length} labelled train-split ` +
    `texts (${extractor}) + ${seeds.length} seed-lexicon pseudo-documents; see data/sections/README.md`;
  const model = toModel(weights, temperature, minConfidence, provenance);
  writeFileSync(OUT, `${JSON.stringify(model)}\n`);
  console.log(
    `wrote ${OUT}: ${Object.keys(model.terms).length} terms, ${readFileSync(OUT).length} bytes, ` +
      `temperature ${model.temperature}, minConfidence ${model.minConfidence}`,
  );
}

await main();
