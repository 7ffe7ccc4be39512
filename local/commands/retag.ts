/**
 * `newsflow retag [--since DATE] [--dry-run]`: re-run section tagging over stored articles (after
 * a vocabulary or model change) and write back section, sections, vocabularyVersion and the
 * section index key. Reads each article's claim check (`normalized/<id>/<contentHash>.json`);
 * when it is gone, re-tags from the item's own fields.
 */
import { NormalizedArticleSchema } from '#shared/domain/article.ts';
import type { ArticleItem } from '#shared/domain/item.ts';
import { retagArticle, type TagInput, tagInputFromItem, tagUpdateFor } from '#shared/domain/tag/index.ts';
import { claimCheckKey } from '#shared/steps/claim-check.ts';
import { UsageError } from '../errors.ts';
import type { SharedDeps } from '../runner.ts';
import { localDeps } from '../wiring.ts';
import { dataDirOf, openForReading } from './data.ts';
import { type Command, DATA_DIR_OPTION, EXIT, writeJsonLine } from './types.ts';

export const command: Command = {
  summary: 're-tag stored articles with the current section vocabulary; prints one JSON line per change',
  usage: 'retag [--since DATE] [--dry-run] [--data-dir DIR]',
  options: { ...DATA_DIR_OPTION, since: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run({ values, io }) {
    const since = typeof values.since === 'string' ? parseSince(values.since) : null;
    const dryRun = values['dry-run'] === true;
    const conn = await openForReading(dataDirOf(values, io.cwd));
    try {
      const deps = localDeps(conn);
      const counts = { seen: 0, changed: 0, written: 0, skipped: 0 };
      for await (const item of deps.articles.scan()) {
        if (since !== null && item.ingestedAt < since) continue;
        counts.seen += 1;
        const { result, changed } = retagArticle(await tagInputOf(item, deps), item);
        if (!changed) continue;
        counts.changed += 1;
        const update = tagUpdateFor(item, result);
        const written = dryRun ? false : await deps.articles.updateTags(update);
        if (written) counts.written += 1;
        else if (!dryRun) counts.skipped += 1;
        writeJsonLine(io.stdout, {
          id: item.id,
          from: { section: item.section, vocabularyVersion: item.vocabularyVersion },
          to: { section: result.section, vocabularyVersion: result.vocabularyVersion },
          evidence: result.sections[0] ?? null,
          written,
        });
      }
      io.stderr.write(
        `retag: ${counts.seen} articles checked, ${counts.changed} changed, ${counts.written} written` +
          (counts.skipped > 0 ? `, ${counts.skipped} skipped (a newer version arrived meanwhile)` : '') +
          (dryRun ? ' (dry run: nothing written)' : '') +
          '\n',
      );
      return EXIT.ok;
    } finally {
      await conn.close();
    }
  },
};

function parseSince(value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new UsageError(`--since must be a date or time (ISO 8601), got ${JSON.stringify(value)}`);
  return new Date(t).toISOString();
}

/** The claim check when it is still there and intact, else the item's own fields and body. */
async function tagInputOf(item: ArticleItem, deps: SharedDeps): Promise<TagInput> {
  const key = claimCheckKey(item.id, item.contentHash);
  if (await deps.blobs.exists(key)) {
    const parsed = NormalizedArticleSchema.safeParse(
      JSON.parse(Buffer.from((await deps.blobs.get(key)).body).toString('utf8')),
    );
    if (parsed.success) return parsed.data;
  }
  const text =
    item.text ??
    (item.textKey ? Buffer.from((await deps.blobs.get(item.textKey)).body).toString('utf8') : '');
  return tagInputFromItem(item, text);
}
