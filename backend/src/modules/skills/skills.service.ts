import { z } from 'zod';
import { identifier } from '../../../contract/text.js';
import { onDuplicate } from '../../db/constraints.js';
import { fieldErrors } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { parseInput } from '../../http/validate.js';
import { insertSkill } from './skills.repo.js';

/** The name the IVR passes as `skill`; routing off makes eligibility answer "not routed". */
const NewSkill = z.object({
  name: identifier(255).min(1),
  routingEnabled: z.boolean().default(true),
});
export type NewSkill = z.input<typeof NewSkill>;

export async function addSkill(
  deps: Pick<AppDeps, 'db' | 'reads' | 'clock'>,
  accountId: string,
  input: NewSkill,
): Promise<void> {
  const skill = parseInput(NewSkill, input);
  await insertSkill(deps, { accountId, ...skill, now: deps.clock() }).catch(
    onDuplicate(() =>
      fieldErrors({ name: `account ${accountId} already has a skill '${skill.name}'` }),
    ),
  );
}
