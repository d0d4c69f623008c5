import type { TemplateStatus } from '../../../backend/contract/templates.js';

export const templateStatusLabels: Record<TemplateStatus, string> = {
  draft: 'Draft',
  pending: 'Pending approval',
  approved: 'Approved',
  rejected: 'Rejected',
  paused: 'Paused',
  disabled: 'Disabled',
};
