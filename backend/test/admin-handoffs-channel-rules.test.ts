// The handoffs admin API rules inside each channel (in-app apps, SMS text and numbers, WhatsApp
// templates and variables): each broken rule is a 400 naming the field, with nothing stored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { updateAccountSettings } from '../src/modules/accounts/accounts.repo.js';
import { adminApi, adminSession, seedAccount } from './helpers.js';
import {
  t,
  account,
  addTemplate,
  expectRefused,
  create,
  OPT_OUT,
  sms,
  wa,
  inapp,
  input,
  expectFieldError,
  useHandoffsFixture,
} from './admin-handoffs-fixtures.js';

describe('handoffs admin API', () => {
  useHandoffsFixture();

  describe('rules', () => {
    it('in-app: 1 to 3 apps, each once', async () => {
      await expectRefused(
        input({ channels: [inapp({ apps: [] })] }),
        'channels.0.apps',
        'pick 1 to 3 apps',
      );
      await expectRefused(
        input({ channels: [inapp({ apps: undefined })] }),
        'channels.0.apps',
        'pick 1 to 3 apps',
      );
      await expectRefused(
        input({ channels: [inapp({ apps: ['a', 'b', 'c', 'd'] })] }),
        'channels.0.apps',
        'at most 3 items',
      );
      await expectRefused(
        input({ channels: [inapp({ apps: ['a', 'a'] })] }),
        'channels.0.apps',
        'each app at most once',
      );
      await expectRefused(
        input({ channels: [inapp({ message: ' ' })] }),
        'channels.0.message',
        'is required',
      );
    });

    it('SMS: a text is required, plain text only', async () => {
      await expectRefused(
        input({ channels: [sms({ message: '' })] }),
        'channels.0.message',
        'is required',
      );
      await expectRefused(
        input({ channels: [sms({ message: 'Hi <b>there</b>' })] }),
        'channels.0.message',
        'must be plain text, without HTML tags',
      );
      await expectRefused(
        input({ channels: [sms({ message: 'Hi\u0007 there' })] }),
        'channels.0.message',
        'must be plain text, without control characters',
      );
      const lines = await create(input({ channels: [sms({ message: 'Hi,\nreply 1 < 2 here.' })] }));
      assert.equal(lines.channels[0]?.message, 'Hi,\nreply 1 < 2 here.');
    });

    it('SMS: at most 1600 characters with the opt-out text; 140 is guidance only', async () => {
      const room = 1600 - OPT_OUT.length - 1;
      await create(input({ channels: [sms({ message: 'x'.repeat(141) })] }));
      await create(input({ channels: [sms({ message: 'x'.repeat(room) })] }));
      await expectRefused(
        input({ channels: [sms({ message: 'x'.repeat(room + 1) })] }),
        'channels.0.message',
        `at most 1600 characters with the opt-out text (${room + 1} + ${OPT_OUT.length + 1} = 1601)`,
      );
      await expectRefused(
        input({ channels: [wa(), sms({ message: 'x'.repeat(1600) })] }),
        'channels.1.message',
        /^at most 1600 characters with the opt-out text/,
      );
      // a text that already carries the opt-out line is sent as it is
      const carrying = 'x'.repeat(1600 - OPT_OUT.length - 1) + ' ' + OPT_OUT;
      assert.equal(carrying.length, 1600);
      await create(input({ channels: [sms({ message: carrying })] }));
    });

    it('SMS: the limit follows the account opt-out text', async () => {
      const owner = await seedAccount(t, { permissions: ['ivr', 'admin'] });
      await updateAccountSettings(t.c2m.deps, owner.accountId, {
        smsOptOutText: 'x'.repeat(160),
      });
      const ownerApi = adminApi(t, owner.accountId, await adminSession(t, owner, 'admin'));
      expectFieldError(
        await ownerApi.post('/handoffs', input({ channels: [sms({ message: 'y'.repeat(1500) })] })),
        'channels.0.message',
        'at most 1600 characters with the opt-out text (1500 + 161 = 1661)',
      );
    });

    it('outbound numbers: E.164 when given', async () => {
      for (const number of ['4155550100', '+1 415 555 0100', '+0123', 'phone']) {
        await expectRefused(
          input({ channels: [sms({ outboundNumber: number })] }),
          'channels.0.outboundNumber',
          'must be E.164, e.g. +14155550100',
        );
      }
      await expectRefused(
        input({ channels: [wa({ outboundNumber: '555' })] }),
        'channels.0.outboundNumber',
        'must be E.164, e.g. +14155550100',
      );
      const none = await create(input({ channels: [sms({ outboundNumber: undefined })] }));
      assert.equal(none.channels[0]?.outboundNumber, undefined);
    });

    it('WhatsApp: an approved template of the account, in its language', async () => {
      await expectRefused(
        input({ channels: [wa({ templateName: undefined })] }),
        'channels.0.templateName',
        'pick an approved WhatsApp template',
      );
      await expectRefused(
        input({ channels: [wa({ templateName: 'nope' })] }),
        'channels.0.templateName',
        'no WhatsApp template named nope',
      );
      await expectRefused(
        input({ channels: [wa({ templateName: 'elsewhere', message: 'Hi Jane' })] }),
        'channels.0.templateName',
        'no WhatsApp template named elsewhere',
      );
      await expectRefused(
        input({ channels: [wa({ templateName: 'awaiting', message: 'Hi Jane' })] }),
        'channels.0.templateName',
        'template awaiting is not approved (en: pending)',
      );
      await expectRefused(
        input({ channels: [wa({ templateLanguage: undefined })] }),
        'channels.0.templateLanguage',
        'is required (approved in en, es)',
      );
      await expectRefused(
        input({ channels: [wa({ templateLanguage: 'fr' })] }),
        'channels.0.templateLanguage',
        'template order_ready is approved in en, es only',
      );
      const spanish = await create(
        input({
          channels: [wa({ templateLanguage: 'es', message: 'Hola Ana, su pedido 7 está listo.' })],
        }),
      );
      assert.equal(spanish.channels[0]?.templateLanguage, 'es');
    });

    it('WhatsApp: each variable kept for the IVR or given a default', async () => {
      const field = 'channels.0.message';
      // kept as {{n}}: no default, the IVR sends it; the rest are defaults
      for (const message of [
        'Hello {{1}}, your order {{2}} is ready.',
        'Hello Jane, your order {{2}} is ready.',
        'Hello {{1}}, your order 42 is ready.',
      ]) {
        const kept = await create(input({ channels: [wa({ message })] }));
        assert.equal(kept.channels[0]?.message, message);
      }
      const empty = await create(input({ channels: [wa({ message: '' })] }));
      assert.equal(empty.channels[0]?.message, 'Hello {{1}}, your order {{2}} is ready.');
      await expectRefused(
        input({ channels: [wa({ message: 'Hello Jane, your order   is ready.' })] }),
        field,
        'the default for {{2}} is blank: give a value or keep {{2}}',
      );
      await expectRefused(
        input({ channels: [wa({ message: 'Hello {{2}}, your order 42 is ready.' })] }),
        field,
        'the default for {{1}} must not hold another {{…}}',
      );
      await expectRefused(
        input({ channels: [wa({ message: 'Hello Jane, it is ready.' })] }),
        field,
        'must be the text of template order_ready, each of {{1}}, {{2}} kept or given a default value',
      );
      const filled = await create(input({ channels: [wa(), sms()] }));
      assert.deepEqual(filled.channels[0], wa());
    });

    it('WhatsApp: adjacent variables, kept or given defaults', async () => {
      await addTemplate(account.accountId, { name: 'code_pair', body: 'Your code {{1}}{{2}}.' });
      const pair = (message: string) =>
        input({ channels: [wa({ templateName: 'code_pair', message })] });
      await expectRefused(
        pair('Your code A.'),
        'channels.0.message',
        /^must be the text of template code_pair/,
      );
      // a long text that cannot fit is refused at once (no backtracking over every split)
      await expectRefused(
        pair(`Your code ${'9'.repeat(1500)}!`),
        'channels.0.message',
        /^must be the text of template code_pair/,
      );
      const ok = await create(pair('Your code 12-34.'));
      assert.equal(ok.channels[0]?.message, 'Your code 12-34.');
      for (const message of ['Your code {{1}}{{2}}.', 'Your code {{1}}34.', 'Your code 12{{2}}.']) {
        const kept = await create(pair(message));
        assert.equal(kept.channels[0]?.message, message);
      }
    });

    it('WhatsApp: a template without variables gives its own text', async () => {
      const plain = await create(
        input({ channels: [wa({ templateName: 'plain_hello', message: '' })] }),
      );
      assert.equal(plain.channels[0]?.message, 'Hello from us!');
      await expectRefused(
        input({ channels: [wa({ templateName: 'plain_hello', message: 'Hello from them!' })] }),
        'channels.0.message',
        'must be the text of template plain_hello',
      );
    });
  });
});
