#!/usr/bin/env node
// `npx c2m <command>`: loads the TypeScript CLI through tsx, from wherever it is called.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../backend/src/cli/main.ts', import.meta.url).href);
