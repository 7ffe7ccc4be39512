/** `newsflow articles --section S --limit N`: the latest articles of a section, through the read client. */
import { UsageError } from '../errors.ts';
import { dataDirOf, withReadClient } from './data.ts';
import { type Command, DATA_DIR_OPTION, EXIT, writeJsonLine } from './types.ts';

const positiveInt = (value: unknown, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a whole number ≥ 1, got ${String(value)}`);
  return n;
};

export const command: Command = {
  summary: 'print the latest articles of a section (or a source, or a cluster) as JSON lines',
  usage: 'articles (--section S | --source NAME | --cluster ID | --id ID) [--limit 20] [--data-dir DIR]',
  options: {
    ...DATA_DIR_OPTION,
    section: { type: 'string' },
    source: { type: 'string' },
    cluster: { type: 'string' },
    id: { type: 'string' },
    limit: { type: 'string' },
  },
  async run({ values, io }) {
    const limit = positiveInt(values.limit, 20, 'limit');
    const chosen = (['section', 'source', 'cluster', 'id'] as const).filter(
      (k) => typeof values[k] === 'string',
    );
    if (chosen.length !== 1)
      throw new UsageError('Give exactly one of --section, --source, --cluster or --id');
    const value = String(values[chosen[0] as string]);
    return withReadClient(dataDirOf(values, io.cwd), async (client) => {
      if (chosen[0] === 'id') {
        const item = await client.getArticle(value);
        if (item) writeJsonLine(io.stdout, item);
        return EXIT.ok;
      }
      const page =
        chosen[0] === 'section'
          ? await client.latestInSection(value, { limit })
          : chosen[0] === 'source'
            ? await client.bySource(value, { limit })
            : await client.byCluster(value, { limit });
      for (const item of page.items) writeJsonLine(io.stdout, item);
      return EXIT.ok;
    });
  },
};
