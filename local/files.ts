/** Finding input files on disk for `run` and `serve`. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every regular file under `dir`, recursively, sorted; hidden entries (.DS_Store, .git) skipped. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
