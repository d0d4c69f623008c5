// The one guard for every URL a tenant gives c2m (providers, conversation sink, event webhooks):
// which addresses it refuses (IPv4 and every IPv6 form that can reach one), the URL rules, and the
// guarded fetch — it connects only to the address it checked (a DNS answer that changes between
// the check and the call cannot reach loopback), never follows a redirect, and refuses IP literals
// without asking DNS. Only loopback listeners are used.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  addressRefusal,
  checkOutboundUrl,
  OutboundRefused,
  type ResolveHost,
} from '../src/outbound/outbound-url.js';
import { createOutboundGuard } from '../src/outbound/outbound-fetch.js';
import { loadConfig } from '../src/config.js';

/** A loopback HTTP listener that counts connections (even ones that never make a request). */
async function listener(answer: (res: import('node:http').ServerResponse) => void) {
  let connections = 0;
  const requests: { host: string | undefined; method: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ host: req.headers.host, method: req.method });
    req.resume();
    req.on('end', () => answer(res));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    connections: () => connections,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe('outbound address rules', () => {
  const refused = [
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '172.16.0.1',
    '192.0.0.8',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fec0::1',
    'ff02::1',
    '::127.0.0.1', // IPv4-compatible (deprecated)
    '::8.8.8.8', // IPv4-compatible even with a public IPv4
    '::ffff:127.0.0.1', // IPv4-mapped loopback
    '::ffff:10.0.0.1',
    '::ffff:7f00:1', // the same, hex-written
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '64:ff9b::127.0.0.1',
    '64:ff9b:1::8.8.8.8', // local-use NAT64
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2002:808:808::1', // 6to4, any
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    '2001:db8::1', // documentation
    '100::1', // discard-only
  ];
  const allowed = [
    '8.8.8.8',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '2a03:2880:f10c:283:face:b00c:0:25de',
    '::ffff:8.8.8.8', // IPv4-mapped public: judged by the IPv4 it carries
    '64:ff9b::808:808', // NAT64 of a public IPv4 (an IPv6-only host behind DNS64)
  ];

  for (const address of refused) {
    it(`refuses ${address}`, () => {
      assert.ok(addressRefusal(address, false), address);
    });
  }
  for (const address of allowed) {
    it(`allows ${address}`, () => {
      assert.equal(addressRefusal(address, false), undefined);
    });
  }
  it('allows loopback only with the development flag, and nothing else private', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      assert.equal(addressRefusal(a, true), undefined, a);
    }
    for (const a of ['10.0.0.1', '169.254.169.254', 'fe80::1', 'fd00::1', '64:ff9b::a9fe:a9fe']) {
      assert.ok(addressRefusal(a, true), a);
    }
  });
  it('refuses what is not an address', () => {
    assert.ok(addressRefusal('not-an-ip', true));
    assert.ok(addressRefusal('fe80::1%eth0', true));
  });
});

describe('the development flag', () => {
  it('is C2M_ALLOW_LOOPBACK_URLS, still read under its old name, and off by default', () => {
    const flag = (env: Record<string, string>) => loadConfig(env).allowLoopbackUrls;
    assert.equal(flag({}), false);
    assert.equal(flag({ C2M_ALLOW_LOOPBACK_URLS: '1' }), true);
    assert.equal(flag({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1' }), true);
    assert.equal(flag({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1', C2M_ALLOW_LOOPBACK_URLS: '0' }), false);
  });
});

describe('outbound URL check (on save)', () => {
  const publicDns: ResolveHost = () => Promise.resolve([{ address: '93.184.216.34', family: 4 }]);

  it('names the rule a URL breaks', async () => {
    const cases: [string, RegExp][] = [
      ['not a url', /^not a URL$/],
      ['ftp://example.com/x', /^must use https$/],
      ['http://example.com/x', /^must use https$/],
      ['https://user:pw@example.com/x', /^must not carry credentials$/],
      ['https://127.0.0.1/x', /private or loopback address \(127\.0\.0\.1\)/],
      ['https://[::ffff:127.0.0.1]/x', /private or loopback/],
      ['https://0x7f000001/x', /private or loopback address \(127\.0\.0\.1\)/],
      ['https://[64:ff9b::a9fe:a9fe]/x', /private or loopback/],
    ];
    for (const [url, reason] of cases) {
      const check = await checkOutboundUrl(url, { allowLoopback: false, resolve: publicDns });
      assert.equal(check.ok, false, url);
      assert.match(check.ok ? '' : check.reason, reason, url);
    }
    assert.deepEqual(
      await checkOutboundUrl('https://api.example.com/x', {
        allowLoopback: false,
        resolve: publicDns,
      }),
      { ok: true },
    );
  });

  it('refuses a name with any private answer, and one that does not resolve', async () => {
    const mixed: ResolveHost = () =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ]);
    const check = await checkOutboundUrl('https://x.example/', {
      allowLoopback: false,
      resolve: mixed,
    });
    assert.deepEqual(check, {
      ok: false,
      reason: 'host resolves to a private or loopback address (10.0.0.5)',
    });
    const none: ResolveHost = () => Promise.reject(new Error('ENOTFOUND'));
    const missing = await checkOutboundUrl('https://x.example/', {
      allowLoopback: false,
      resolve: none,
    });
    assert.deepEqual(missing, { ok: false, reason: 'host x.example does not resolve' });
  });
});

describe('guarded fetch (on every call)', () => {
  let target: Awaited<ReturnType<typeof listener>>;
  before(async () => {
    target = await listener((res) => res.end('ok'));
  });
  after(() => target?.close());

  it('stops DNS rebinding: the check saw a public address, the call is refused at loopback', async () => {
    const answers = ['93.184.216.34', '127.0.0.1'];
    let calls = 0;
    const resolve: ResolveHost = () => {
      const address = answers[Math.min(calls++, answers.length - 1)];
      return Promise.resolve([{ address, family: 4 }]);
    };
    const guard = createOutboundGuard({ allowLoopback: false, resolve });
    try {
      const url = `https://rebind.example:${target.port}/hook`;
      assert.deepEqual(await guard.check(url), { ok: true });
      await assert.rejects(
        guard.fetch(url, { method: 'POST', body: 'x' }),
        (err: unknown) => err instanceof OutboundRefused && /\(127\.0\.0\.1\)/.test(err.message),
      );
      assert.equal(calls, 2, 'one resolution for the check, one for the call');
      assert.equal(target.connections(), 0);
    } finally {
      await guard.close();
    }
  });

  it('connects to the address it resolved and checked, resolving once', async () => {
    let calls = 0;
    const resolve: ResolveHost = () => {
      calls += 1;
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    const guard = createOutboundGuard({ allowLoopback: true, resolve });
    try {
      // a name no real DNS knows: reaching the listener proves our answer was the one used
      const res = await guard.fetch(`http://pinned.invalid:${target.port}/x`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'ok');
      assert.equal(calls, 1);
      assert.equal(target.requests.at(-1)?.host, `pinned.invalid:${target.port}`);
    } finally {
      await guard.close();
    }
  });

  it('refuses IP literals, plain http and userinfo without asking DNS or connecting', async () => {
    let calls = 0;
    const resolve: ResolveHost = () => {
      calls += 1;
      return Promise.resolve([{ address: '93.184.216.34', family: 4 }]);
    };
    const guard = createOutboundGuard({ allowLoopback: false, resolve });
    const before = target.connections();
    try {
      for (const url of [
        `https://127.0.0.1:${target.port}/`,
        `https://[::ffff:127.0.0.1]:${target.port}/`,
        `https://[::1]:${target.port}/`,
        `https://2130706433:${target.port}/`,
        `http://public.example:${target.port}/`,
        `https://u:p@public.example:${target.port}/`,
      ]) {
        await assert.rejects(guard.fetch(url), OutboundRefused, url);
      }
      assert.equal(calls, 0);
      assert.equal(target.connections(), before);
    } finally {
      await guard.close();
    }
  });

  it('never follows a redirect, whatever the caller asks', async () => {
    const inner = await listener((res) => res.end('internal'));
    const redirecting = await listener((res) => {
      res.writeHead(303, { location: `http://127.0.0.1:${inner.port}/admin` });
      res.end('see other');
    });
    const guard = createOutboundGuard({ allowLoopback: true });
    try {
      await assert.rejects(
        guard.fetch(`http://127.0.0.1:${redirecting.port}/`, {
          method: 'POST',
          body: '{}',
          redirect: 'follow',
        }),
        (err: unknown) =>
          err instanceof OutboundRefused && err.code === 'redirect' && err.status === 303,
      );
      assert.equal(redirecting.requests.length, 1);
      assert.equal(inner.connections(), 0);
    } finally {
      await guard.close();
      await inner.close();
      await redirecting.close();
    }
  });
});
