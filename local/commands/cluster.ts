/** `newsflow cluster <id>`: every article of one story cluster, oldest first, through the read client. */
import { paginate } from '#shared/client/index.ts';
import { UsageError } from '../errors.ts';
import { dataDirOf, withReadClient } from './data.ts';
import { type Command, DATA_DIR_OPTION, EXIT, writeJsonLine } from './types.ts';

export const command: Command = {
  summary:
    'print every article of a story cluster (oldest first) as JSON lines: who matched whom, how closely',
  usage: 'cluster <clusterId> [--full] [--data-dir DIR]',
  options: { ...DATA_DIR_OPTION, full: { type: 'boolean' } },
  async run({ values, positionals, io }) {
    const [clusterId, ...rest] = positionals;
    if (!clusterId || rest.length > 0) throw new UsageError('Name one cluster: newsflow cluster <clusterId>');
    return withReadClient(dataDirOf(values, io.cwd), async (client) => {
      for await (const item of paginate((cursor) => client.byCluster(clusterId, { cursor }))) {
        if (values.full === true) {
          writeJsonLine(io.stdout, item);
          continue;
        }
        writeJsonLine(io.stdout, {
          id: item.id,
          title: item.title,
          source: item.source,
          siteName: item.siteName,
          canonicalUrl: item.canonicalUrl,
          clusterId: item.clusterId,
          duplicateOf: item.duplicateOf,
          duplicateKind: item.duplicateKind,
          similarity: item.similarity,
          ingestedAt: item.ingestedAt,
        });
      }
      return EXIT.ok;
    });
  },
};
