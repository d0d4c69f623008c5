import { resolve } from 'node:path';
import { demoInstructions, type DemoCredentials } from './demo/bootstrap.js';

/** What a newcomer needs once c2m is up: where it listens, where its data is, how to try it. */
export interface Startup {
  url: string;
  dataDir: string;
  /** Present when the data dir holds the demo account. */
  demo?: {
    accountId: string;
    credentialsFile: string;
    /** Set on the start that created the account: its ready-to-paste curl example. */
    created?: DemoCredentials;
  };
}

/** The fields of the one JSON start-up line; secrets stay in the credentials file. */
export function startupFields(s: Startup) {
  return {
    url: s.url,
    dataDir: resolve(s.dataDir),
    ...(s.demo && {
      demo: {
        accountId: s.demo.accountId,
        page: `${s.url}/`,
        admin: `${s.url}/admin`,
        credentialsFile: resolve(s.demo.credentialsFile),
      },
    }),
  };
}

/** The same for a person at a terminal, one fact a line. */
export function startupText(s: Startup): string {
  const f = startupFields(s);
  const lines = [`c2m listening on ${f.url}`, `  data:  ${f.dataDir}`];
  if (f.demo) {
    lines.push(
      `  demo:  ${f.demo.page} (account ${f.demo.accountId})`,
      `  admin: ${f.demo.admin} (add a user first: npx c2m user add --account ${f.demo.accountId}` +
        ' --username ada --role admin --password-stdin)',
      `  IVR credentials: ${f.demo.credentialsFile}`,
    );
  }
  if (s.demo?.created) {
    lines.push('', demoInstructions(s.demo.created, s.demo.credentialsFile));
  }
  return lines.join('\n');
}
