import type { HandoffChannel, HandoffView } from '../../../contract/handoffs.js';
import type { HandoffRecord } from './handoffs.repo.js';
import { iso } from '../../clock.js';

const MINUTES_PER_DAY = 24 * 60;

/** The admin API's handoff: lookback as the screen shows it, times as ISO strings. */
export function presentHandoff(h: HandoffRecord): HandoffView {
  return {
    id: h.id,
    title: h.title,
    active: h.active,
    lookback: {
      days: Math.floor(h.lookbackMinutes / MINUTES_PER_DAY),
      hours: Math.floor((h.lookbackMinutes % MINUTES_PER_DAY) / 60),
    },
    channels: h.channels.map(presentChannel),
    createdAt: iso(h.createdAt),
    updatedAt: iso(h.updatedAt),
  };
}

/** Only the contract's fields, and only those that are set. */
function presentChannel(c: HandoffChannel): HandoffChannel {
  return {
    name: c.name,
    enabled: c.enabled,
    message: c.message,
    ...(c.outboundNumber !== undefined && { outboundNumber: c.outboundNumber }),
    ...(c.templateName !== undefined && { templateName: c.templateName }),
    ...(c.templateLanguage !== undefined && { templateLanguage: c.templateLanguage }),
    ...(c.apps !== undefined && { apps: [...c.apps] }),
    ...(c.defaults !== undefined && { defaults: { ...c.defaults } }),
  };
}
