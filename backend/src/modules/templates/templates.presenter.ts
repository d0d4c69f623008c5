import {
  templateVariables,
  type TemplateStatusView,
  type TemplateView,
} from '../../../contract/templates.js';
import type { Template } from './templates.repo.js';
import { iso } from '../../clock.js';

/** The admin API's one shape of a template: a new column stays out until it is added here. */
export function presentTemplate(t: Template): TemplateView {
  return {
    id: t.id,
    name: t.name,
    category: t.category,
    language: t.language,
    wabaId: t.wabaId,
    phoneNumber: t.phoneNumber,
    body: t.body,
    examples: t.examples,
    variables: templateVariables(t.body),
    status: t.status,
    statusReason: t.statusReason,
    providerTemplateId: t.providerTemplateId,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

/** The agent manager's view: which templates may be sent, nothing of what they say. */
export function presentTemplateStatus(t: Template): TemplateStatusView {
  return { name: t.name, language: t.language, status: t.status };
}
