/**
 * The bad-input corpus: the manifest (test/fixtures/bad-input/expected.json), and a helper that
 * lays the corpus out in a directory, generating at test time the files too large to commit.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/** Directory of the committed corpus. */
export const BAD_INPUT_DIR = join(import.meta.dirname, '..', 'fixtures', 'bad-input');

const StoredSchema = z.object({
  outcome: z.literal('stored'),
  title: z.string().optional(),
  textIncludes: z.array(z.string()).default([]),
  textExcludes: z.array(z.string()).default([]),
  language: z.string().optional(),
});
const FailedSchema = z.object({
  outcome: z.literal('failed'),
  code: z.string(),
  /** Case-insensitive pattern the human-readable reason must match. */
  reason: z.string(),
});
const IgnoredSchema = z.object({ outcome: z.literal('ignored') });

/** What a user expects for one file or one line of a batch file. */
export const ExpectationSchema = z.discriminatedUnion('outcome', [StoredSchema, FailedSchema, IgnoredSchema]);
export type Expectation = z.infer<typeof ExpectationSchema>;

const EntrySchema = z
  .object({
    file: z.string(),
    case: z.string(),
    generated: z.string().optional(),
    expect: ExpectationSchema.optional(),
    lines: z
      .array(z.intersection(z.object({ line: z.number().int().positive() }), ExpectationSchema))
      .optional(),
  })
  .refine((e) => (e.expect === undefined) !== (e.lines === undefined), 'give either expect or lines');
export type CorpusEntry = z.infer<typeof EntrySchema>;

const ManifestSchema = z.object({ about: z.string(), source: z.string(), files: z.array(EntrySchema) });
export type CorpusManifest = z.infer<typeof ManifestSchema>;

/** Read and validate expected.json. */
export function loadManifest(): CorpusManifest {
  return ManifestSchema.parse(JSON.parse(readFileSync(join(BAD_INPUT_DIR, 'expected.json'), 'utf8')));
}

/** The (line, expectation) pairs of an entry: line 0 for a single-document file. */
export function expectationsOf(entry: CorpusEntry): Array<{ line: number; expect: Expectation }> {
  if (entry.expect) return [{ line: 0, expect: entry.expect }];
  return (entry.lines ?? []).map(({ line, ...expect }) => ({
    line,
    expect: ExpectationSchema.parse(expect),
  }));
}

const MiB = 1024 * 1024;

function nestedDivs(depth: number): string {
  return `${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}`;
}

/** Repeat numbered sentences until `bytes` is reached (distinct text, so it reads as prose). */
function numberedProse(bytes: number, make: (n: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 1; size < bytes; n++) {
    const s = make(n);
    parts.push(s);
    size += s.length + 1;
  }
  return parts.join(' ');
}

/** Generators for the manifest's `generated` entries. */
export const GENERATORS: Record<string, () => string | Uint8Array> = {
  'huge-page-over-cap': () => {
    const para = '<p>Filler paragraph of a page that is far larger than any news article should be.</p>\n';
    return `<!doctype html><html><head><title>Too big</title></head><body>${para.repeat(Math.ceil((25 * MiB) / para.length))}</body></html>`;
  },
  'huge-page-under-cap': () => {
    const link = '<li><a href="/section/item">Another link in an enormous navigation menu</a></li>\n';
    const nav = `<nav><ul>${link.repeat(Math.ceil((5 * MiB) / link.length))}</ul></nav>`;
    return `<!doctype html><html><head><meta charset="utf-8"><title>Tram line extension gets the go-ahead</title></head>
<body>${nav}<article><h1>Tram line extension gets the go-ahead</h1>
<p>After six years of consultation the regional government confirmed on Friday that the tram line will be extended by four kilometres to the new hospital and the university campus.</p>
<p>Construction starts next spring and the first trams should run on the extension in three years, the transport minister said, at a cost of two hundred million.</p>
</article></body></html>`;
  },
  'deep-nesting-html': () =>
    `<!doctype html><html><head><meta charset="utf-8"><title>Volunteers clear the canal towpath</title></head>
<body><article><h1>Volunteers clear the canal towpath</h1>
<p>More than forty volunteers spent Saturday clearing brambles and rubbish from the canal towpath between the two locks, which had been closed to walkers since the autumn floods.</p>
<p>The canal trust said the path would reopen next week once the fallen tree near the aqueduct has been removed by contractors.</p>
</article>${nestedDivs(100_000)}</body></html>`,
  'deep-nesting-json': () =>
    `{"title":"Orchestra announces a free summer concert","text":"The city orchestra will give a free concert in the park on the last Saturday of June, playing film music and a new piece by a local composer. Gates open at six and picnics are welcome, the orchestra said, though glass bottles are not.","extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
  'enormous-line-jsonl': () =>
    `${JSON.stringify({
      title: 'A record on one enormous line',
      text: numberedProse(
        3 * MiB,
        (n) => `Sentence ${n} of the long report describes another part of the river survey.`,
      ),
    })}\n`,
  'enormous-line-txt': () =>
    numberedProse(2 * MiB, (n) => `Entry ${n} of the harbour log notes the ships that came in.`),
};

/**
 * Copy the committed corpus into `dir` and generate the rest. Returns the file names (relative
 * to `dir`) in manifest order.
 */
export function materializeBadInput(dir: string, manifest: CorpusManifest = loadManifest()): string[] {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(BAD_INPUT_DIR)) {
    if (name !== 'expected.json') copyFileSync(join(BAD_INPUT_DIR, name), join(dir, name));
  }
  for (const entry of manifest.files) {
    if (!entry.generated) continue;
    const generate = GENERATORS[entry.generated];
    if (!generate) throw new Error(`expected.json names an unknown generator: ${entry.generated}`);
    writeFileSync(join(dir, entry.file), generate());
  }
  return manifest.files.map((e) => e.file);
}
