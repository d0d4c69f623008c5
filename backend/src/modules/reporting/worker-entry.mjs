// A reporting worker thread's entry: workers do not inherit the main thread's `--import tsx`, so
// this loads the TypeScript module named in `workerData.module` through tsx's API (as bin/c2m.mjs
// does for the CLI).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(new URL(workerData.module, import.meta.url).href);
