/**
 * `newsflow normalize <file>…`: the normalize step alone, no storage. One JSON line per article
 * on stdout; a rejected file or batch line is a JSON line with `error` (the failure code) and
 * `reason` on stdout too, so a script sees every input, plus a readable line on stderr.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { normalizeDocument } from '#shared/domain/normalize/index.ts';
import { DEFAULT_NORMALIZE_SETTINGS, type RawInput } from '#shared/domain/normalize/types.ts';
import { UsageError } from '../errors.ts';
import { localSettings } from '../settings.ts';
import { type Command, EXIT, writeJsonLine } from './types.ts';

export const command: Command = {
  summary: 'normalize files (no storage): one JSON line per article, `error` lines for rejected inputs',
  usage: 'normalize <file>… [--url URL] [--source NAME]',
  options: { url: { type: 'string' }, source: { type: 'string' } },
  async run({ values, positionals, io }) {
    if (positionals.length === 0) throw new UsageError('Name at least one file: newsflow normalize <file>…');
    const settings = { ...DEFAULT_NORMALIZE_SETTINGS, maxDocumentBytes: localSettings().maxDocumentBytes };
    // Batch files have their own, larger cap; the domain applies the right one after sniffing.
    const maxBytes = Math.max(settings.maxDocumentBytes, settings.maxBatchBytes ?? 0);
    const source = typeof values.source === 'string' ? values.source : 'cli';
    const url = typeof values.url === 'string' ? values.url : null;
    let failed = 0;
    const reject = (file: string, line: number, error: string, reason: string): void => {
      failed += 1;
      writeJsonLine(io.stdout, { file, line, error, reason });
      io.stderr.write(`newsflow normalize: ${file}${line > 0 ? ` line ${line}` : ''}: ${reason}\n`);
    };

    for (const file of positionals) {
      const path = resolve(io.cwd, file);
      let body: Buffer;
      try {
        const info = await stat(path);
        if (!info.isFile()) {
          reject(file, 0, 'not-a-file', 'not a regular file');
          continue;
        }
        if (info.size > maxBytes) {
          reject(file, 0, 'too-large', `The file is ${info.size} bytes; the limit is ${maxBytes}.`);
          continue;
        }
        body = await readFile(path);
      } catch (error) {
        reject(file, 0, 'unreadable', (error as Error).message);
        continue;
      }
      const input: RawInput = {
        // The key gives the extension hint and, without a canonical URL, the id.
        key: `incoming/${source}/${basename(path)}`,
        body,
        etag: null,
        sequencer: null,
        contentType: null,
        metadata: url ? { 'source-url': url } : {},
        ingestedAt: new Date().toISOString(),
      };
      const result = normalizeDocument(input, settings);
      if (result.tag !== 'items') {
        reject(file, 0, result.code, result.reason);
        continue;
      }
      for (const item of result.items) {
        if (item.tag === 'article') writeJsonLine(io.stdout, { file, line: item.line, ...item.article });
        else reject(file, item.line, item.code, item.reason);
      }
    }
    return failed > 0 ? EXIT.inputFailed : EXIT.ok;
  },
};
