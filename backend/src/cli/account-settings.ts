import { AdminSettingsInput } from '../../contract/settings.js';
import { parseInput } from '../http/validate.js';
import { updateSettings } from '../modules/settings/settings.service.js';
import { UsageError } from './args.js';
import { accountFlag, ACCOUNT, type Command } from './context.js';

/** The settings page's rules (the receipt time-out among them). */
const AccountSettings = AdminSettingsInput;

/** The flag of each setting, for the help and for naming a refused one. */
const FLAG_OF: Record<string, string> = {
  rateLimitPerSec: '--rate-limit',
  frequencyCapPerHour: '--frequency-cap',
  deviceCheck: '--device-check',
  defaultSkill: '--default-skill',
  receiptTimeoutHours: '--receipt-timeout-hours',
  smsOptOutText: '--opt-out-text',
  helpText: '--help-text',
};

export const accountSet: Command = {
  name: 'account set',
  summary: "change an account's settings (only the flags given)",
  flags: {
    account: ACCOUNT,
    'rate-limit': { value: 'N', help: 'IVR API requests per second, 0 for no limit' },
    'frequency-cap': { value: 'N', help: 'invites per number per hour' },
    'device-check': { value: 'on|off', help: 'refuse landlines for SMS and WhatsApp' },
    'default-skill': { value: 'NAME', help: 'where replies after the lookback go' },
    'receipt-timeout-hours': {
      value: 'N',
      help: 'fail a message with no delivery receipt after N hours',
    },
    'opt-out-text': { value: 'TEXT', help: 'appended to every SMS invite' },
    'help-text': { value: 'TEXT', help: 'the answer to HELP' },
  },
  flagOf: (field) => FLAG_OF[field.split('.')[0]] ?? `--${field}`,
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const deviceCheck = flags.optional('device-check');
    if (deviceCheck !== undefined && !['on', 'off'].includes(deviceCheck)) {
      throw new UsageError('--device-check: on or off');
    }
    const given = {
      rateLimitPerSec: flags.int('rate-limit'),
      frequencyCapPerHour: flags.int('frequency-cap'),
      receiptTimeoutHours: flags.int('receipt-timeout-hours'),
      deviceCheck: deviceCheck === undefined ? undefined : deviceCheck === 'on',
      defaultSkill: flags.optional('default-skill'),
      smsOptOutText: flags.optional('opt-out-text', 1000),
      helpText: flags.optional('help-text', 1000),
    };
    const named = Object.keys(given).filter((k) => given[k as keyof typeof given] !== undefined);
    if (named.length === 0) throw new UsageError('give at least one setting to change');
    const changes = parseInput(AccountSettings, given);
    await updateSettings(ctx, account.id, changes);
    ctx.out(`account ${account.id} updated: ${named.join(', ')}`);
  },
};
