// Runs before web-test-runner (npm run test:web): the browser tests need a Chromium binary at
// CHROME_PATH or /usr/bin/chromium (the path web-test-runner.config.mjs launches). On a fresh
// Debian machine or container where we are root, install Debian's chromium package; anywhere else,
// say how to get one and stop, rather than letting puppeteer fail with a stack trace.
import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const DEFAULT_PATH = '/usr/bin/chromium';
const chromePath = process.env.CHROME_PATH || DEFAULT_PATH;

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fail(reason) {
  console.error(
    [
      `ensure-chromium: ${reason}`,
      'The browser tests need Chromium. Either:',
      '  - on Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium',
      '  - or point CHROME_PATH at an existing Chromium or Chrome binary, e.g.',
      '      CHROME_PATH=/usr/lib/chromium/chromium npm run test:web',
    ].join('\n'),
  );
  process.exit(1);
}

function run(command, args) {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status}`);
}

if (!isExecutable(chromePath)) {
  if (process.env.CHROME_PATH) {
    // installing a package would not put a browser at a custom path, so don't try
    fail(`CHROME_PATH=${chromePath} is not an executable file.`);
  }
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version') && isExecutable('/usr/bin/apt-get');
  if (!isRoot || !isDebian) {
    fail(`no Chromium at ${chromePath} (it is installed automatically only as root on Debian).`);
  }
  console.log(
    `ensure-chromium: no Chromium at ${chromePath}; installing Debian's chromium package`,
  );
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', 'chromium']);
  if (!isExecutable(chromePath)) fail(`apt-get finished but ${chromePath} is still missing.`);
  console.log(`ensure-chromium: installed ${chromePath}`);
}
