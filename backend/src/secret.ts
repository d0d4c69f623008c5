import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one secret that signs tokens and encrypts stored secrets: from C2M_SECRET when given,
 * otherwise made once into the data dir (readable by the owner only) and reused after.
 */
export function loadOrCreateSecret(dataDir: string, given: string | undefined): string {
  if (given) return given;
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    // written aside and linked into place: a CLI starting beside the server on a fresh data dir
    // either wins the race or reads the winner's complete file, never half of one
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(48).toString('base64url') + '\n', { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(draft);
    }
  }
  return readFileSync(file, 'utf8').trim();
}
