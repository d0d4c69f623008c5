// The c2m command line: `npx c2m <command>` or `npm run c2m -- <command>`. Exit codes: 0 done,
// 1 failed, 2 bad input (the message names the flag). The commands run in run.ts, which tests
// call in-process.
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => void process.stdout.write(line + '\n'),
  err: (line) => void process.stderr.write(line + '\n'),
  stdin: process.stdin,
});
