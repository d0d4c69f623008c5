// What the outbox stores, read back: a job's payload through the one union of job kinds, and a
// `transaction.channel_failed` payload, including those recorded before it had one shape.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJob } from '../src/outbox/jobs/payloads.js';
import { channelsAfter, readChannelFailed } from '../src/outbox/fallback.js';

describe('outbox job payloads', () => {
  it('reads each kind’s payload, typed by its kind', () => {
    const job = parseJob('send', JSON.stringify({ transactionId: 't1', channels: ['wa', 'sms'] }));
    assert.deepEqual(job, {
      kind: 'send',
      payload: { transactionId: 't1', channels: ['wa', 'sms'] },
    });
    const receipt = parseJob('receipt', JSON.stringify({ messageId: 'm1', status: 'delivered' }));
    assert.deepEqual(receipt, {
      kind: 'receipt',
      payload: { messageId: 'm1', status: 'delivered' },
    });
  });

  it('names what it cannot read: a kind it does not know, bad JSON, a payload of another shape', () => {
    assert.deepEqual(parseJob('fax', '{}'), { error: 'unknown job kind fax' });
    assert.deepEqual(parseJob('send', '{'), { error: 'unreadable send payload' });
    const noChannel = parseJob('send', JSON.stringify({ transactionId: 't1', channels: [] }));
    assert.match('error' in noChannel ? noChannel.error : '', /^unreadable send payload: channels/);
    const badChannel = parseJob(
      'reply',
      JSON.stringify({ messageId: 'm1', channel: 'fax', to: '+14155550100', body: 'hi' }),
    );
    assert.match(
      'error' in badChannel ? badChannel.error : '',
      /^unreadable reply payload: channel/,
    );
  });
});

describe('channel_failed payload', () => {
  const error = { source: 'wa', code: '131026', message: 'undeliverable' };

  it('reads the one shape as it is', () => {
    assert.deepEqual(readChannelFailed({ channel: 'wa', next: 'sms', error }), {
      channel: 'wa',
      next: 'sms',
      error,
    });
    assert.deepEqual(readChannelFailed({ channel: 'wa', next: 'sms', error: null }).error, null);
  });

  it('reads the two shapes recorded before it: the send’s text and a receipt’s provider error', () => {
    assert.deepEqual(readChannelFailed({ channel: 'wa', next: 'sms', error: 'wa_1: no' }).error, {
      source: 'c2m',
      code: 'channel_failed',
      message: 'wa_1: no',
    });
    const legacy = { errorSource: 'wa', errorCode: '131026', errorMessage: 'undeliverable' };
    assert.deepEqual(readChannelFailed({ channel: 'wa', next: 'sms', error: legacy }).error, error);
    assert.equal(readChannelFailed({ channel: 'wa', next: 'sms' }).error, null);
  });

  it('falls back to the channels after the failed one only', () => {
    assert.deepEqual(channelsAfter(['wa', 'sms', 'rcs'], 'wa'), ['sms', 'rcs']);
    assert.deepEqual(channelsAfter(['wa', 'sms'], 'sms'), []);
    assert.deepEqual(channelsAfter(['sms'], 'wa'), []);
  });
});
