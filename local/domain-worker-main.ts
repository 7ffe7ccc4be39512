/**
 * The domain worker thread: runs the domain function each message names and answers with its
 * result (local/domain-worker.ts). Pure: no I/O, no state between calls.
 */
import { parentPort } from 'node:worker_threads';
import { fingerprint } from '#shared/domain/dedupe/near.ts';
import { normalizeBatchChunk, normalizeOrSplit } from '#shared/domain/normalize/index.ts';
import { tagArticle } from '#shared/domain/tag/index.ts';
import type { DomainCall, WorkerRequest, WorkerResponse } from './domain-worker.ts';

const port = parentPort;
if (!port) throw new Error('local/domain-worker-main.ts runs only as a worker thread');

function run(call: DomainCall): unknown {
  switch (call.op) {
    case 'normalize':
      return normalizeOrSplit(...call.args);
    case 'normalizeChunk':
      return normalizeBatchChunk(...call.args);
    case 'fingerprint':
      return fingerprint(...call.args);
    case 'tag':
      return tagArticle(...call.args);
  }
}

port.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: request.id, ok: true, result: run(request) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    response = { id: request.id, ok: false, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  }
  port.postMessage(response);
});
