// Public entry of the admin bundle: <c2m-admin>, its API client and the public types. Each view's
// element is in its own module, loaded (and its tag defined) the first time <c2m-admin> shows it,
// so a host page downloads the shell first and a view when it is opened. Every element module
// defines its own tag, and a tag already defined (a second copy of this bundle on the page) is
// left alone instead of throwing.
import { C2mAdmin } from './c2m-admin/c2m-admin.js';

export { C2mAdmin };
// the views' classes as types only: a value export would bring every view into the first paint
export type { C2mChannelComposer } from './c2m-channel-composer/c2m-channel-composer.js';
export type { C2mChannelOrder } from './c2m-channel-order/c2m-channel-order.js';
export type { C2mCredentials } from './c2m-credentials/c2m-credentials.js';
export type { C2mHandoffEditor } from './c2m-handoff-editor/c2m-handoff-editor.js';
export type { C2mHandoffList } from './c2m-handoff-list/c2m-handoff-list.js';
export type { C2mReports } from './reports/c2m-reports.js';
export type { C2mSettings } from './c2m-settings/c2m-settings.js';
export type { C2mWaReachability } from './c2m-settings/wa-reachability.js';
export type { C2mSmsCounter } from './c2m-sms-counter/c2m-sms-counter.js';
export type { C2mTemplateEditor } from './c2m-template-editor/c2m-template-editor.js';
export type { C2mTemplateList } from './c2m-template-list/c2m-template-list.js';
export type { C2mWaTemplatePicker } from './c2m-wa-template-picker/c2m-wa-template-picker.js';
export type { C2mProviders } from './c2m-providers/c2m-providers.js';
export type { C2mUsers } from './c2m-users/c2m-users.js';
export type { C2mWidgetKeys } from './c2m-widget-keys/c2m-widget-keys.js';
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
export type { Role } from '../../backend/contract/policy-table.js';
export type { TemplateView, TemplateInput } from '../../backend/contract/templates.js';
