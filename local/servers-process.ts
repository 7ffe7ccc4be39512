/**
 * Entry of the child process that hosts the embedded servers for CLI sessions (forked by
 * embedded.ts with an IPC channel): the servers' half of every S3 and DynamoDB call then runs on
 * another core than the pipeline. argv[2] is the JSON {@link ServersOptions}. It reports `ready`
 * or `failed`, forwards each s3rver event, and stops cleanly (LevelDB closed) when told to or
 * when the parent goes away (IPC disconnect), whichever comes first.
 */
import { type FromServers, type ServersOptions, startServers, type ToServers } from './servers.ts';

const send = (message: FromServers, then: () => void = () => {}): void => {
  // After a disconnect there is nobody to tell.
  if (process.connected) process.send?.(message, then);
};

// Ctrl-C reaches the whole foreground process group: the parent decides when the servers stop,
// after its in-flight calls are done, so the signals are the parent's to act on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const options = JSON.parse(process.argv[2] ?? '{}') as ServersOptions;
try {
  // Sent synchronously from s3rver's handler, so each event is on the channel before the HTTP
  // response to the write that caused it is sent: a `settle` round trip then covers every write
  // the parent has seen answered.
  const servers = await startServers(options, (event) => send({ type: 'event', event }));
  let closing: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    closing ??= servers.close().finally(() => {
      process.off('message', onMessage);
      if (process.connected) process.disconnect();
    });
    return closing;
  };
  const onMessage = (message: ToServers): void => {
    if (message.type === 'close') void shutdown();
    else if (message.type === 'settle') send({ type: 'settled', id: message.id });
  };
  process.on('message', onMessage);
  process.on('disconnect', () => void shutdown());
  send({ type: 'ready', s3Port: servers.s3Port, dynamodbPort: servers.dynamodbPort });
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  process.exitCode = 1;
  // Disconnect only once the message is written: disconnecting drops what is still queued.
  send(
    {
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      cause: cause ? { message: cause.message, code: (cause as NodeJS.ErrnoException).code } : null,
    },
    () => process.disconnect(),
  );
}
