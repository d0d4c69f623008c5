import type { Account } from '../accounts/accounts.repo.js';
import type { Skill } from '../skills/skills.repo.js';
import type { AdminSettingsView } from '../../../contract/settings.js';

/** The settings page's one JSON shape; a new column of `accounts` shows up here only by choice. */
export function presentSettings(account: Account, skills: readonly Skill[]): AdminSettingsView {
  return {
    channels: account.channels.map((c) => ({ name: c.name, enabled: c.enabled })),
    deviceCheck: account.deviceCheck,
    routing: skills.map((s) => ({ name: s.name, routingEnabled: s.routingEnabled })),
    defaultSkill: account.defaultSkill,
    smsOptOutText: account.smsOptOutText,
    helpText: account.helpText,
    frequencyCapPerHour: account.frequencyCapPerHour,
    rateLimitPerSec: account.rateLimitPerSec,
    allowedOrigins: [...account.allowedOrigins],
    receiptTimeoutHours: account.receiptTimeoutHours,
    timezone: account.timezone,
  };
}
