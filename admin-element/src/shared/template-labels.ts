import { msg } from '@lit/localize';
import type { TemplateCategory, TemplateStatus } from '../../../backend/contract/templates.js';

/** A template status as people read it, in the shown language (read it at render time). */
export function templateStatusLabel(status: TemplateStatus): string {
  const labels: Record<TemplateStatus, string> = {
    draft: msg('Draft'),
    pending: msg('Pending approval'),
    approved: msg('Approved'),
    rejected: msg('Rejected'),
    paused: msg('Paused'),
    disabled: msg('Disabled'),
  };
  return labels[status];
}

/** A template category as WhatsApp's own pages name it, in the shown language. */
export function templateCategoryLabel(category: TemplateCategory): string {
  const labels: Record<TemplateCategory, string> = {
    MARKETING: msg('Marketing'),
    UTILITY: msg('Utility'),
    AUTHENTICATION: msg('Authentication'),
  };
  return labels[category];
}
