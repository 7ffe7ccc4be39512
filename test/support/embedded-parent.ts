/**
 * A stand-in `newsflow` process for lifecycle tests: starts the embedded servers the CLI way (in
 * a child process) on the data dir in argv[2], prints one JSON line with the endpoints and the
 * servers' pid, then waits until it is killed.
 */
import { startEmbedded } from '#local/embedded.ts';

const embedded = await startEmbedded({ dataDir: process.argv[2] ?? '.newsflow' });
process.stdout.write(`${JSON.stringify({ ...embedded.endpoints, serversPid: embedded.serversPid })}\n`);
// Keep running like a serving CLI (the IPC channel to the child also keeps the loop alive).
setInterval(() => {}, 60_000);
