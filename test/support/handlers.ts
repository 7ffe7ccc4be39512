/** The real handler factories, one per step: the ones `newsflow run` drives and Lambda builds. */
export { HANDLERS as REAL_HANDLERS } from '#local/handlers.ts';
