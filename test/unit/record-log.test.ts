import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { describe, expect, it, vi } from 'vitest';
import { RecordLog } from '#shared/steps/record-log.ts';

/** Powertools' own formatting, keeping each line's attributes instead of printing JSON. */
class Lines extends LogFormatter {
  readonly lines: Record<string, unknown>[] = [];
  formatAttributes(attributes: UnformattedAttributes, extra: LogAttributes): LogItem {
    this.lines.push({ message: attributes.message, level: attributes.logLevel, ...extra });
    return new LogItem({ attributes: { message: attributes.message } });
  }
}

function parent(logLevel: 'INFO' | 'WARN') {
  const formatter = new Lines();
  const logger = new Logger({
    serviceName: 'newsflow',
    logLevel,
    logFormatter: formatter,
    persistentKeys: { step: 'store' },
  });
  return { logger, lines: formatter.lines };
}

describe("a record's logger", () => {
  it("keeps each record's keys on its own lines while records run concurrently", async () => {
    // Prepare
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // the printed JSON is not under test
    const { logger, lines } = parent('INFO');
    const record = async (id: string, delay: number) => {
      const log = new RecordLog(logger, { messageId: id });
      log.appendKeys({ articleId: `article-${id}` });
      await new Promise((r) => setTimeout(r, delay));
      log.info('Stored', { outcome: 'stored' });
      const chunk = log.createChild();
      chunk.appendKeys({ line: 7 });
      chunk.warn('Line skipped');
      log.info('Done');
    };

    // Act
    await Promise.all([record('a', 20), record('b', 1)]);
    vi.restoreAllMocks();

    // Assess
    const of = (id: string) => lines.filter((l) => l.messageId === id);
    expect(of('a').map((l) => l.message)).toEqual(['Stored', 'Line skipped', 'Done']);
    for (const id of ['a', 'b']) {
      expect(of(id).every((l) => l.articleId === `article-${id}` && l.step === 'store')).toBe(true);
    }
    expect(lines.find((l) => l.message === 'Stored' && l.messageId === 'a')).toMatchObject({
      outcome: 'stored',
    });
    expect(lines.filter((l) => l.line === 7).map((l) => l.message)).toEqual(['Line skipped', 'Line skipped']);
    expect(lines.filter((l) => l.message === 'Done').every((l) => l.line === undefined)).toBe(true);
  });

  it('writes only what the level lets through, with the keys appended before', () => {
    // Prepare
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { logger, lines } = parent('WARN');
    const log = new RecordLog(logger, { messageId: 'm1' });

    // Act
    log.info('Stored');
    log.appendKeys({ rawKey: 'inbox/a.html' });
    log.error('Record failed');
    vi.restoreAllMocks();

    // Assess
    expect(lines).toEqual([
      expect.objectContaining({ message: 'Record failed', messageId: 'm1', rawKey: 'inbox/a.html' }),
    ]);
  });
});
