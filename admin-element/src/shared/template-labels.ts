import { msg } from '@lit/localize';
import type { TemplateStatus } from '../../../backend/contract/templates.js';

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

/** @deprecated English only: use `templateStatusLabel(status)`, which follows the shown language. */
export const templateStatusLabels: Record<TemplateStatus, string> = {
  draft: 'Draft',
  pending: 'Pending approval',
  approved: 'Approved',
  rejected: 'Rejected',
  paused: 'Paused',
  disabled: 'Disabled',
};
