/** `newsflow export`: every stored article as JSON lines (the body fetched from S3 when it lives there). */
import type { ArticleItem } from '#shared/domain/item.ts';
import { localDeps } from '../wiring.ts';
import { dataDirOf, openForReading } from './data.ts';
import { type Command, DATA_DIR_OPTION, EXIT, writeJsonLine } from './types.ts';

/** The exported shape: the item without its derived index keys, with the full text inline. */
export type ExportedArticle = Omit<ArticleItem, 'sectionDay' | 'sourceDay' | 'sortKey'>;

export const command: Command = {
  summary: 'print every stored article as JSON lines',
  usage: 'export [--data-dir DIR]',
  options: { ...DATA_DIR_OPTION },
  async run({ values, io }) {
    const conn = await openForReading(dataDirOf(values, io.cwd));
    try {
      const deps = localDeps(conn);
      const items: ArticleItem[] = [];
      for await (const item of deps.articles.scan()) items.push(item);
      items.sort((a, b) => a.rawKey.localeCompare(b.rawKey) || a.line - b.line || a.id.localeCompare(b.id));
      for (const item of items) {
        const { sectionDay: _s, sourceDay: _d, sortKey: _k, ...rest } = item;
        const text =
          item.text ??
          (item.textKey ? Buffer.from((await deps.blobs.get(item.textKey)).body).toString('utf8') : null);
        writeJsonLine(io.stdout, { ...rest, text } satisfies ExportedArticle);
      }
      return EXIT.ok;
    } finally {
      await conn.close();
    }
  },
};
