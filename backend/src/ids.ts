import { randomInt, randomUUID } from 'node:crypto';

export const newUuid = (): string => randomUUID();

/** Handoff ids as the product makes them: `H` and 15 digits. */
export const newHandoffId = (): string => 'H' + digits(15);

/** Numeric account ids, as the product's are. */
export const newAccountId = (): string => String(randomInt(1, 10)) + digits(7);

function digits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(0, 10));
  return out;
}
