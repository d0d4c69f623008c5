import {
  TEMPLATE_NAME_MAX,
  templateEditable,
  type TemplateInput,
  type TemplateListQuery,
  type TemplateReviewInput,
  type TemplateStatus,
} from '../../../contract/templates.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import type { SettingsOf } from '../../../contract/providers.js';
import {
  createWhatsAppTemplateApi,
  type TemplateSubmitResult,
} from '../../channels/whatsapp-templates.js';
import { inTransaction } from '../../db/database.js';
import type { AppDeps } from '../deps.js';
import { AppError, conflict, fieldErrors, notFound } from '../../errors.js';
import { newUuid } from '../../ids.js';
import { loadProviderSettings } from '../providers/providers.repo.js';
import {
  changeTemplateStatus,
  deleteTemplateRow,
  findTemplate,
  findTemplateByName,
  findTemplateByProviderId,
  handoffsUsingTemplate,
  insertTemplate,
  isUniqueViolation,
  listTemplates,
  updateTemplateFields,
  type Template,
} from './templates.repo.js';

type Deps = Pick<AppDeps, 'db' | 'keys' | 'clock' | 'config' | 'outbound'>;

const SUBMITTABLE: readonly TemplateStatus[] = ['draft', 'rejected'];

const nameTaken = (t: Pick<Template, 'name' | 'language'>) =>
  fieldErrors({ name: `must be unique: ${t.name} already exists in ${t.language}` });

export async function getTemplate(deps: Deps, accountId: string, id: string): Promise<Template> {
  const template = await findTemplate(deps.db, accountId, id);
  if (!template) throw notFound('No such template');
  return template;
}

export function listAccountTemplates(deps: Deps, accountId: string, query: TemplateListQuery) {
  return listTemplates(deps.db, accountId, query);
}

/** The agent manager's view: approved templates only, whatever status the query asks for. */
export function listApprovedTemplates(deps: Deps, accountId: string, query: TemplateListQuery) {
  return listTemplates(deps.db, accountId, { ...query, status: 'approved' });
}

/** A new draft; its name must be free in its language. */
export async function createTemplate(
  deps: Deps,
  accountId: string,
  input: TemplateInput,
): Promise<Template> {
  const now = deps.clock();
  const template: Template = {
    id: newUuid(),
    accountId,
    ...input,
    status: 'draft',
    statusReason: null,
    providerTemplateId: null,
    createdAt: now,
    updatedAt: now,
  };
  await insertUnique(deps, template);
  return template;
}

async function insertUnique(deps: Deps, template: Template): Promise<void> {
  if (await findTemplateByName(deps.db, template.accountId, template.name, template.language)) {
    throw nameTaken(template);
  }
  try {
    await insertTemplate(deps.db, template);
  } catch (err) {
    // a concurrent create of the same name got in between the check and the insert
    if (isUniqueViolation(err)) throw nameTaken(template);
    throw err;
  }
}

/**
 * Drafts and rejected templates change freely. What WhatsApp has approved (or is reviewing,
 * paused, disabled) is not ours to change: the user clones it and submits the copy.
 */
export async function updateTemplate(
  deps: Deps,
  accountId: string,
  id: string,
  input: TemplateInput,
): Promise<Template> {
  const current = await getTemplate(deps, accountId, id);
  if (!templateEditable(current.status)) {
    throw conflict(`${current.status} templates are not editable: clone it`);
  }
  const other = await findTemplateByName(deps.db, accountId, input.name, input.language);
  if (other && other.id !== id) throw nameTaken(input);
  // Meta edits a template in place, but never its name or language: a new one is a new template
  const keepProviderId = input.name === current.name && input.language === current.language;
  try {
    await updateTemplateFields(deps.db, accountId, id, {
      ...input,
      keepProviderId,
      now: deps.clock(),
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input);
    throw err;
  }
  return getTemplate(deps, accountId, id);
}

/** A draft copy named `<name>_copy` (then `_copy_2`, `_copy_3` … until the name is free). */
export async function cloneTemplate(deps: Deps, accountId: string, id: string): Promise<Template> {
  const source = await getTemplate(deps, accountId, id);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '_copy' : `_copy_${n}`;
    const name = source.name.slice(0, TEMPLATE_NAME_MAX - suffix.length) + suffix;
    if (await findTemplateByName(deps.db, accountId, name, source.language)) continue;
    const now = deps.clock();
    const copy: Template = {
      ...source,
      id: newUuid(),
      name,
      status: 'draft',
      statusReason: null,
      providerTemplateId: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await insertTemplate(deps.db, copy);
      return copy;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // another clone took this name meanwhile: try the next suffix
    }
  }
}

/** The account's WhatsApp Cloud settings when it has them; otherwise templates are the sandbox's. */
async function whatsAppCloud(
  deps: Deps,
  accountId: string,
): Promise<SettingsOf<'whatsapp-cloud'> | undefined> {
  const stored = await loadProviderSettings(deps.db, deps.keys.secrets, accountId);
  const wa = stored.find((p) => p.channel === 'wa')?.settings;
  return wa?.provider === 'whatsapp-cloud' ? wa : undefined;
}

/**
 * Sends a draft or rejected template for review. With a WhatsApp Cloud provider Meta reviews it
 * and its answer (often `pending`, sometimes at once `approved` or `rejected`) is stored with
 * Meta's id; without one the sandbox holds it pending until someone reviews it.
 */
export async function submitTemplate(deps: Deps, accountId: string, id: string): Promise<Template> {
  const template = await getTemplate(deps, accountId, id);
  if (!SUBMITTABLE.includes(template.status)) {
    throw conflict(
      `only draft or rejected templates can be submitted; this one is ${template.status}`,
    );
  }
  const settings = await whatsAppCloud(deps, accountId);
  const change = { from: SUBMITTABLE, now: deps.clock() };
  let moved: boolean;
  if (!settings) {
    moved = await changeTemplateStatus(deps.db, accountId, id, {
      ...change,
      status: 'pending',
      reason: null,
    });
  } else {
    const api = createWhatsAppTemplateApi(settings, {
      fetch: deps.outbound.fetch,
      now: deps.clock,
      timeoutMs: deps.config.providerTimeoutMs,
    });
    const result = await api.submit(template);
    if (!result.ok) throw submitError(template, result);
    moved = await changeTemplateStatus(deps.db, accountId, id, {
      ...change,
      status: result.status,
      reason: result.status === 'rejected' ? 'Rejected by WhatsApp' : null,
      providerTemplateId: result.providerTemplateId,
      category: result.category,
    });
  }
  if (!moved) throw conflict('the template changed while it was being submitted: reload it');
  return getTemplate(deps, accountId, id);
}

/** Meta's refusal or absence as the admin API answers it; the template stays as it was. */
function submitError(t: Template, result: Extract<TemplateSubmitResult, { ok: false }>): AppError {
  const meta = `${result.errorMessage} (WhatsApp error ${result.errorCode})`;
  switch (result.kind) {
    case 'duplicate':
      return conflict(`WhatsApp already has a template ${t.name} in ${t.language}: ${meta}`);
    case 'refused':
      return new AppError(
        400,
        IvrErrorCode.invalidRequest,
        `WhatsApp refused the template: ${meta}`,
      );
    case 'credentials':
      return new AppError(
        502,
        IvrErrorCode.internal,
        `WhatsApp refused the account's credentials: check the WhatsApp provider settings: ${meta}`,
      );
    case 'unavailable':
      return new AppError(
        503,
        IvrErrorCode.internal,
        `WhatsApp could not take the template now, try again later: ${meta}`,
        { 'Retry-After': '30' },
      );
  }
}

/**
 * The sandbox's review of a pending template. An account with a real WhatsApp provider has Meta
 * review its templates; approving one here would let a handoff use a template Meta never saw.
 */
export async function reviewTemplate(
  deps: Deps,
  accountId: string,
  id: string,
  review: TemplateReviewInput,
): Promise<Template> {
  const template = await getTemplate(deps, accountId, id);
  if (await whatsAppCloud(deps, accountId)) {
    throw conflict(
      'WhatsApp reviews this account’s templates: the sandbox review is not available',
    );
  }
  const approve = review.decision === 'approve';
  const moved = await changeTemplateStatus(deps.db, accountId, id, {
    from: ['pending'],
    status: approve ? 'approved' : 'rejected',
    reason: approve ? null : (review.reason ?? 'Rejected in the sandbox'),
    now: deps.clock(),
  });
  if (!moved) {
    throw conflict(`only pending templates can be reviewed; this one is ${template.status}`);
  }
  return getTemplate(deps, accountId, id);
}

/** Deletes a template no handoff uses; one that a handoff sends with must be unhooked first. */
export async function deleteTemplate(deps: Deps, accountId: string, id: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const template = await findTemplate(trx, accountId, id);
    if (!template) throw notFound('No such template');
    const users = await handoffsUsingTemplate(trx, accountId, template.name, template.language);
    if (users.length > 0) {
      const list = users.map((h) => `${h.title} (${h.id})`).join(', ');
      throw conflict(`the template is used by handoff ${list}: change the handoff first`);
    }
    await deleteTemplateRow(trx, accountId, id);
  });
}

/**
 * A status Meta reported later (its `message_template_status_update` webhook), for a template
 * submitted through the Cloud API. False when no template of the account has that Meta id.
 */
export async function recordTemplateStatus(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  accountId: string,
  update: { providerTemplateId: string; status: TemplateStatus; reason: string | null },
): Promise<boolean> {
  const t = await findTemplateByProviderId(deps.db, accountId, update.providerTemplateId);
  if (!t) return false;
  return changeTemplateStatus(deps.db, accountId, t.id, {
    from: ['pending', 'approved', 'rejected', 'paused', 'disabled'],
    status: update.status,
    reason: update.status === 'approved' || update.status === 'pending' ? null : update.reason,
    now: deps.clock(),
  });
}
