import { E164_RULE } from '../../../contract/phone.js';
import { isValidE164 } from '../../channels/phone.js';
import { fieldErrors } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { optIn, optOut } from './optouts.repo.js';

export interface OptOutChange {
  phone: string;
  action: 'opt_out' | 'opt_in';
  /** Who asked: `cli`, or the channel a STOP/START keyword came in on. */
  source: string;
  keyword?: string;
}

/**
 * Suppresses a number on every channel of the account, or lifts that; both are written to the
 * ledger. Only a number valid for its country can be named: any other was never messaged.
 */
export async function changeOptOut(
  deps: Pick<AppDeps, 'uow' | 'clock'>,
  accountId: string,
  change: OptOutChange,
): Promise<void> {
  if (!isValidE164(change.phone)) throw fieldErrors({ phone: E164_RULE });
  const write = change.action === 'opt_out' ? optOut : optIn;
  await write(deps.uow, {
    accountId,
    phone: change.phone,
    source: change.source,
    keyword: change.keyword,
    now: deps.clock(),
  });
}
