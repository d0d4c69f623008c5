import type { WaReachabilityInput, WaReachabilityView } from '../../../contract/wa-reachability.js';
import { notFound } from '../../errors.js';
import { findAccount, updateAccountSettings } from '../accounts/accounts.repo.js';
import type { AppDeps } from '../deps.js';
import { clearLearned, countLearned } from '../reachability/wa-reachability.repo.js';

/** The account's WhatsApp learning: its period and how many numbers each verdict holds now. */
export async function loadWaReachability(
  deps: AppDeps,
  accountId: string,
): Promise<WaReachabilityView> {
  const account = await findAccount(deps, accountId);
  if (!account) throw notFound();
  const days = account.waUnreachableDays;
  const counts = await countLearned(deps.db, accountId, deps.clock(), days);
  return { unreachableDays: days, ...counts };
}

export async function updateWaReachability(
  deps: AppDeps,
  accountId: string,
  input: WaReachabilityInput,
): Promise<WaReachabilityView> {
  if (!(await findAccount(deps, accountId))) throw notFound();
  await updateAccountSettings(deps, accountId, { waUnreachableDays: input.unreachableDays });
  return loadWaReachability(deps, accountId);
}

/** Forgets every verdict of the account: each number is `unknown` on WhatsApp again. */
export async function clearWaReachability(
  deps: AppDeps,
  accountId: string,
): Promise<WaReachabilityView> {
  await clearLearned(deps.db, accountId);
  return loadWaReachability(deps, accountId);
}
