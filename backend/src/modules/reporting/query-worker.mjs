// The heavy-read worker thread's entry: workers do not inherit the main thread's `--import tsx`,
// so this loads the TypeScript worker through tsx's API (as bin/c2m.mjs does for the CLI).
import { register } from 'tsx/esm/api';

register();
await import(new URL('./query-worker.ts', import.meta.url).href);
