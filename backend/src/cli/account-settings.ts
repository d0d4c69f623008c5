import { findSkill } from '../modules/skills/skills.repo.js';
import { updateAccountSettings } from '../modules/accounts/accounts.repo.js';
import { UsageError } from './args.js';
import { accountFlag, type Command } from './context.js';

export const accountSet: Command = {
  name: 'account set',
  summary: "change an account's settings (only the flags given)",
  usage: [
    ['--account ID', 'the account (required)'],
    ['--rate-limit N', 'IVR API requests per second, 0 for no limit'],
    ['--frequency-cap N', 'invites per number per hour'],
    ['--device-check on|off', 'refuse landlines for SMS and WhatsApp'],
    ['--default-skill NAME', 'where replies after the lookback go'],
    ['--receipt-timeout-hours N', 'fail a message with no delivery receipt after N hours'],
    ['--opt-out-text TEXT', 'appended to every SMS invite'],
    ['--help-text TEXT', 'the answer to HELP'],
  ],
  options: {
    account: { type: 'string' },
    'rate-limit': { type: 'string' },
    'frequency-cap': { type: 'string' },
    'device-check': { type: 'string' },
    'default-skill': { type: 'string' },
    'receipt-timeout-hours': { type: 'string' },
    'opt-out-text': { type: 'string' },
    'help-text': { type: 'string' },
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const deviceCheck = flags.optional('device-check');
    if (deviceCheck !== undefined && !['on', 'off'].includes(deviceCheck)) {
      throw new UsageError('--device-check: on or off');
    }
    const defaultSkill = flags.optional('default-skill');
    if (defaultSkill !== undefined && !(await findSkill(ctx, account.id, defaultSkill))) {
      throw new UsageError(`--default-skill: account ${account.id} has no skill '${defaultSkill}'`);
    }
    const int = (name: string, max: number) =>
      flags.has(name) ? flags.int(name, { min: 0, max }, 0) : undefined;
    const changes = {
      rateLimitPerSec: int('rate-limit', 100_000),
      frequencyCapPerHour: int('frequency-cap', 1_000_000),
      receiptTimeoutHours: int('receipt-timeout-hours', 24 * 30),
      deviceCheck: deviceCheck === undefined ? undefined : deviceCheck === 'on',
      defaultSkill,
      smsOptOutText: flags.optional('opt-out-text', 320),
      helpText: flags.optional('help-text', 640),
    };
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(given).length === 0)
      throw new UsageError('give at least one setting to change');
    await updateAccountSettings(ctx, account.id, given);
    ctx.out(`account ${account.id} updated: ${Object.keys(given).join(', ')}`);
  },
};
