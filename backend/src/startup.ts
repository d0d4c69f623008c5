import { resolve } from 'node:path';
import { demoInstructions, type DemoCredentials } from './modules/demo-page/bootstrap.js';

/** What a newcomer needs once c2m is up: where it listens, where its data is, how to try it. */
export interface Startup {
  url: string;
  dataDir: string;
  /** Present when the data dir holds the demo account. */
  demo?: {
    accountId: string;
    credentialsFile: string;
    /** The demo page with this start's key when its API is on; why it is off otherwise. */
    page: { url: string } | { off: string };
    /** Set on the start that created the account: its ready-to-paste curl example. */
    created?: DemoCredentials;
  };
  /** No account yet (C2M_DEMO=0 on a new installation): the start-up says how to make one. */
  empty?: boolean;
}

/** What to do first on an installation without accounts. */
export const FIRST_ACCOUNT =
  'no accounts yet: create one with `npx c2m account create --name "Your brand"`, then a user ' +
  'for /admin with `npx c2m user add --account <id> --username ada --role admin --password-stdin`';

/** The fields of the one JSON start-up line; secrets stay in the credentials file. */
export function startupFields(s: Startup) {
  return {
    url: s.url,
    dataDir: resolve(s.dataDir),
    ...(s.demo && {
      demo: {
        accountId: s.demo.accountId,
        // the page's URL carries this start's demo key: this line is the one place it is written
        page: 'url' in s.demo.page ? s.demo.page.url : undefined,
        pageOff: 'off' in s.demo.page ? s.demo.page.off : undefined,
        admin: `${s.url}/admin`,
        credentialsFile: resolve(s.demo.credentialsFile),
      },
    }),
    ...(s.empty && { next: FIRST_ACCOUNT }),
  };
}

/** The same for a person at a terminal, one fact a line. */
export function startupText(s: Startup): string {
  const f = startupFields(s);
  const lines = [`c2m listening on ${f.url}`, `  data:  ${f.dataDir}`];
  if (f.demo) {
    lines.push(
      f.demo.page
        ? `  demo:  ${f.demo.page} (account ${f.demo.accountId}; demo page on, this URL only)`
        : `  demo:  page off: ${f.demo.pageOff} (account ${f.demo.accountId})`,
      `  admin: ${f.demo.admin} (add a user first: npx c2m user add --account ${f.demo.accountId}` +
        ' --username ada --role admin --password-stdin)',
      `  IVR credentials: ${f.demo.credentialsFile}`,
    );
  }
  if (f.next) lines.push(`  next:  ${f.next}`);
  if (s.demo?.created) {
    lines.push('', demoInstructions(s.demo.created, s.demo.credentialsFile));
  }
  return lines.join('\n');
}
