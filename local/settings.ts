/** Step settings for local runs, from the same variables Lambda reads (see shared/config.ts). */
import { loadConfig } from '#shared/config.ts';
import type { StepSettings } from '#shared/runtime.ts';

/** DUPLICATE_POLICY, MAX_DOCUMENT_BYTES, PIPELINE_VERSION and BATCH_CHUNK_RECORDS, with the config defaults. */
export function localSettings(): StepSettings {
  const c = loadConfig(['DUPLICATE_POLICY', 'MAX_DOCUMENT_BYTES', 'PIPELINE_VERSION', 'BATCH_CHUNK_RECORDS']);
  return {
    duplicatePolicy: c.DUPLICATE_POLICY,
    maxDocumentBytes: c.MAX_DOCUMENT_BYTES,
    pipelineVersion: c.PIPELINE_VERSION,
    batchChunkRecords: c.BATCH_CHUNK_RECORDS,
  };
}
