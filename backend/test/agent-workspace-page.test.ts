import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestC2m, type TestC2m } from './helpers.js';

describe('the Agent Workspace widget page', () => {
  let t: TestC2m;
  before(async () => {
    t = await startTestC2m();
  });
  after(async () => {
    await t?.close();
  });

  it('is served at /agent-workspace and may be framed by the workspace', async () => {
    const res = await fetch(`${t.url}/agent-workspace`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('x-frame-options'), null);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  });

  it('loads the SDK from the sdk= parameter, LivePerson’s script by default, and the bundle', async () => {
    const html = await (await fetch(`${t.url}/agent-workspace`)).text();
    assert.match(html, /new URLSearchParams\(location\.search\)\.get\('sdk'\)/);
    assert.match(html, /'https:\/\/lpcdn\.lpsnmedia\.net\/webagent\/client-SDK\.min\.js'/);
    assert.match(
      html,
      /import \{ startAgentWorkspaceWidget, widgetKeyTokenProvider \} from '\/assets\/c2m-cx-widget\.js'/,
    );
    assert.match(html, /window\.lpTag\?\.agentSDK/);
    // the installation key is read from the fragment, which browsers never send to the server,
    // and traded for short sessions in a request body
    assert.match(html, /const fragment = new URLSearchParams\(location\.hash\.slice\(1\)\)/);
    assert.match(html, /fragment\.get\('key'\)/);
    assert.match(html, /widgetKeyTokenProvider\(location\.origin, key\)/);
    assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'one inline module; it adds the SDK');
  });

  it('keeps refusing to be framed everywhere else', async () => {
    const res = await fetch(`${t.url}/admin`);
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
  });
});
