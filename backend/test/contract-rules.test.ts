// The contract's shared rules, without a server: the browser runs the same functions, so what they
// answer here is what the admin element and the widget show before the server checks again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HandoffListQuery } from '../contract/handoffs.js';
import { PageQuery } from '../contract/page.js';
import { canUseWidget, Permission, POLICY, Role, WIDGET_ROLES } from '../contract/policy.js';
import { smsWithOptOut } from '../contract/sms.js';
import { TemplateListQuery } from '../contract/templates.js';
import { consumerTextProblem, TEXT_RULES } from '../contract/text.js';

describe('the SMS opt-out line', () => {
  const optOut = 'Reply STOP to opt out.';

  it('follows the trimmed message after one space', () => {
    assert.equal(smsWithOptOut('  Hi Jane.\n', optOut), `Hi Jane. ${optOut}`);
  });

  it('is not added twice, nor when the account has none', () => {
    assert.equal(smsWithOptOut(`Hi. ${optOut} Thanks`, optOut), `Hi. ${optOut} Thanks`);
    assert.equal(smsWithOptOut(' Hi. ', ''), 'Hi.');
    assert.equal(smsWithOptOut(' \n', optOut), optOut);
  });
});

describe('the plain-text rule', () => {
  it('refuses a tag or a comment', () => {
    for (const text of ['<b>hi</b>', 'a </p> b', '<script src=x>', '<!-- x -->', 'x <A\nhref>']) {
      assert.equal(consumerTextProblem(text), TEXT_RULES.tag, text);
    }
  });

  it('takes a lone angle bracket as text', () => {
    for (const text of ['a < b', '<3', 'a > b', '</ 3>', '< b>', '<a', `${'<a'.repeat(20_000)}`]) {
      assert.equal(consumerTextProblem(text), undefined, text.slice(0, 20));
    }
  });
});

describe('the policy table', () => {
  it('lets the widget roles, and only them, use the widget', () => {
    for (const role of Role.options) {
      assert.equal(canUseWidget(role), WIDGET_ROLES.includes(role), role);
    }
    assert.deepEqual(WIDGET_ROLES.toSorted(), [
      'admin',
      'agent',
      'agent_manager',
      'campaign_manager',
    ]);
  });

  it('grants admin every action but the status-only view, campaign manager all but users', () => {
    assert.deepEqual(
      POLICY.admin.filter((a) => !a.startsWith('users:')),
      POLICY.campaign_manager,
    );
    assert.equal(POLICY.admin.includes('templates:status'), false);
    assert.equal(POLICY.admin.length, 20);
    assert.deepEqual(
      Role.options.filter((r) => POLICY[r].includes('users:manage')),
      ['admin'],
    );
    assert.deepEqual(
      Role.options.filter((r) => POLICY[r].includes('providers:view')),
      ['admin', 'campaign_manager', 'read_only'],
    );
  });

  it('names the four credential permissions', () => {
    assert.deepEqual(Permission.options, ['ivr', 'reporting', 'admin', 'conversations']);
  });
});

describe('a page of a list', () => {
  it('starts at 0 with 20 items, at most 100, for every list that pages', () => {
    for (const query of [PageQuery, HandoffListQuery, TemplateListQuery]) {
      const { offset, limit } = query.parse({});
      assert.deepEqual({ offset, limit }, { offset: 0, limit: 20 });
      assert.equal(query.safeParse({ limit: '101' }).success, false);
      assert.equal(query.safeParse({ offset: '-1' }).success, false);
    }
  });
});
