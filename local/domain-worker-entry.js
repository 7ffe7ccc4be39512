// Entry of the domain worker thread (local/domain-worker.ts): a worker starts without the
// parent's TypeScript loader, so it registers tsx itself, as bin/newsflow.js does, then loads the
// worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./domain-worker-main.ts');
