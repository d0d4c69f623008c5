import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicBaseUrl, type Config } from './config.js';

// The CLI prints URLs a client will call (the token URL of new credentials, a provider's
// webhook). It runs in its own process, often without the server's PORT or HOST: the server
// writes the URL it listens at into the data dir on each start, and the CLI reads it from there.

const urlFile = (dataDir: string) => join(dataDir, 'server-url');

/** Written by each server start: where clients reach it. */
export function recordServerUrl(dataDir: string, url: string): void {
  writeFileSync(urlFile(dataDir), `${url}\n`);
}

/**
 * Where clients reach the server of this data dir: C2M_PUBLIC_URL, else the URL its last start
 * recorded, else the one the configured HOST and PORT make.
 */
export function serverUrl(config: Config): string {
  if (config.publicUrl) return publicBaseUrl(config);
  try {
    const recorded = readFileSync(urlFile(config.dataDir), 'utf8').trim();
    if (/^https?:\/\/\S+$/.test(recorded)) return recorded;
  } catch {
    // no server has started on this data dir yet
  }
  return publicBaseUrl(config);
}
