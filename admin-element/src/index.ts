// Public entry of the admin bundle: defines the tags and re-exports the public types. A tag
// already defined (a second copy of this bundle on the page) is left alone instead of throwing.
import { C2mAdmin } from './c2m-admin/c2m-admin.js';
import { C2mChannelComposer } from './c2m-channel-composer/c2m-channel-composer.js';
import { C2mChannelOrder } from './c2m-channel-order/c2m-channel-order.js';
import { C2mCredentials } from './c2m-credentials/c2m-credentials.js';
import { C2mWidgetKeys } from './c2m-widget-keys/c2m-widget-keys.js';
import { C2mHandoffEditor } from './c2m-handoff-editor/c2m-handoff-editor.js';
import { C2mHandoffList } from './c2m-handoff-list/c2m-handoff-list.js';
import { C2mReports } from './reports/c2m-reports.js';
import { C2mSettings } from './c2m-settings/c2m-settings.js';
import { C2mWaReachability } from './c2m-settings/wa-reachability.js';
import { C2mSmsCounter } from './c2m-sms-counter/c2m-sms-counter.js';
import { C2mTemplateEditor } from './c2m-template-editor/c2m-template-editor.js';
import { C2mTemplateList } from './c2m-template-list/c2m-template-list.js';
import { C2mWaTemplatePicker } from './c2m-wa-template-picker/c2m-wa-template-picker.js';
import { C2mProviders } from './c2m-providers/c2m-providers.js';
import { C2mUsers } from './c2m-users/c2m-users.js';

export {
  C2mAdmin,
  C2mChannelComposer,
  C2mChannelOrder,
  C2mCredentials,
  C2mHandoffEditor,
  C2mHandoffList,
  C2mReports,
  C2mSettings,
  C2mSmsCounter,
  C2mTemplateEditor,
  C2mTemplateList,
  C2mWaTemplatePicker,
  C2mProviders,
  C2mUsers,
};
export type { AdminView } from './c2m-admin/c2m-admin.js';
export type { SmsCountLevel } from './c2m-sms-counter/c2m-sms-counter.js';
export { countSms, type SmsCount, type SmsEncoding } from './c2m-sms-counter/sms-segments.js';
export {
  AdminApiError,
  createAdminClient,
  type AdminClient,
  type AdminClientOptions,
} from './api/admin-client.js';
export * from './events.js';
export type { HandoffView, HandoffInput } from '../../backend/contract/handoffs.js';
export type { Role } from '../../backend/contract/policy.js';
export type { TemplateView, TemplateInput } from '../../backend/contract/templates.js';

const elements: [string, CustomElementConstructor][] = [
  ['c2m-admin', C2mAdmin],
  ['c2m-handoff-list', C2mHandoffList],
  ['c2m-handoff-editor', C2mHandoffEditor],
  ['c2m-channel-order', C2mChannelOrder],
  ['c2m-channel-composer', C2mChannelComposer],
  ['c2m-sms-counter', C2mSmsCounter],
  ['c2m-wa-template-picker', C2mWaTemplatePicker],
  ['c2m-template-list', C2mTemplateList],
  ['c2m-template-editor', C2mTemplateEditor],
  ['c2m-settings', C2mSettings],
  ['c2m-wa-reachability', C2mWaReachability],
  ['c2m-credentials', C2mCredentials],
  ['c2m-widget-keys', C2mWidgetKeys],
  ['c2m-reports', C2mReports],
  ['c2m-providers', C2mProviders],
  ['c2m-users', C2mUsers],
];
for (const [tag, element] of elements) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
