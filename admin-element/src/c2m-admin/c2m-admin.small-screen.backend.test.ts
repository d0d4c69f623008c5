// <c2m-admin> on a 390 px wide phone (and at 320 px), against a real c2m (scripts/web-backend.mjs): every view its
// navigation offers (so a view added later is covered without touching this file), each view's
// create screen, and each step of the handoff editor, with long values stored first, fit the
// viewport: no sideways scrolling of the page or the element, nothing sticking out to the right.
import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { Role } from '../../../backend/contract/policy.js';
import '../index.js';
import type { C2mHandoffEditor } from '../c2m-handoff-editor/c2m-handoff-editor.js';
import { deepQuery, deepQueryAll, typeInto } from '../test-helpers/dom.js';
import { horizontalOverflow, pageWidth } from '../test-helpers/overflow.js';
import type { C2mAdmin } from './c2m-admin.js';

interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only', string>;
}

/** A phone, and the narrowest width WCAG's reflow asks for (the admin in the demo page's panel). */
const PHONES = [
  { width: 390, height: 844 },
  { width: 320, height: 640 },
];
/** A token with no break opportunity, longer than a phone is wide, as ids and machine names are. */
const LONG_TOKEN = 'billing_and_payments_escalation_premium_customers_north_america_east';

let backend: Backend;

async function mount(role: 'admin' | 'read_only') {
  const el = await fixture<C2mAdmin>(
    html`<c2m-admin
      api-base=${backend.apiBase}
      account-id=${backend.accountId}
      session-role=${role satisfies Role}
      .token=${backend.tokens[role]}
    ></c2m-admin>`,
  );
  await settled(el);
  return el;
}

/** The element of the view shown: whichever element of the admin's own has a shadow root. */
const currentView = (el: C2mAdmin) =>
  [...el.shadowRoot!.querySelectorAll('[part="base"] > *')].find((e) => e.shadowRoot);

/** Waits until no view of `el` says it is loading, and Lit has rendered what came. */
async function settled(el: C2mAdmin) {
  await waitUntil(
    () =>
      currentView(el) &&
      !deepQueryAll(el.shadowRoot!, '[part="state"], .state').some((s) =>
        /^Loading/.test(s.textContent?.trim() ?? ''),
      ),
    'a view kept loading',
    { timeout: 8000 },
  );
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}

const navButtons = (el: C2mAdmin) => [
  ...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="nav"] button'),
];

/** Asserts `el` fits the phone; `where` names the screen in the failure. */
function expectFits(el: C2mAdmin, where: string) {
  expect(horizontalOverflow(el), `${where} (page ${pageWidth()}px wide)`).to.deep.equal([]);
  // what scrolls on its own is reachable by keyboard and named
  for (const box of deepQueryAll(el.shadowRoot!, '*')) {
    if (getComputedStyle(box).overflowX !== 'auto' || box.scrollWidth <= box.clientWidth) continue;
    if (box instanceof HTMLInputElement || box instanceof HTMLTextAreaElement) continue;
    expect(box.tabIndex, `${where}: a scrolling ${box.localName} takes focus`).to.equal(0);
    const label = (box.getRootNode() as ShadowRoot).getElementById(
      box.getAttribute('aria-labelledby') ?? '',
    );
    expect(label?.textContent?.trim(), `${where}: a scrolling ${box.localName} is named`).to.match(
      /\S/,
    );
  }
}

const field = (editor: C2mHandoffEditor, selector: string) =>
  deepQuery<HTMLInputElement>(editor.shadowRoot!, selector);

const stepHeading = (editor: C2mHandoffEditor) =>
  editor.shadowRoot!.querySelector('#step-heading')?.textContent?.trim();

async function press(editor: C2mHandoffEditor, part: string) {
  editor.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${part}"]`)!.click();
  await editor.updateComplete;
  await new Promise((r) => setTimeout(r, 50));
}

/** Types a long token into every text field of `form`, as much as each one takes. */
function fillLong(form: ParentNode) {
  for (const input of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
    'input:not([type]), input[type="text"], input[type="url"], textarea',
  )) {
    const max = input.maxLength > 0 ? input.maxLength : LONG_TOKEN.length;
    typeInto(input, LONG_TOKEN.slice(0, max));
  }
}

async function openView(el: C2mAdmin, label: string) {
  navButtons(el)
    .find((b) => b.textContent?.trim() === label)!
    .click();
  await el.updateComplete;
  await settled(el);
}

for (const phone of PHONES)
  describe(`c2m-admin on a ${phone.width} px wide screen, against a real c2m`, function () {
    this.timeout(60_000);

    before(async () => {
      const res = await fetch('/__c2m/backend.json');
      expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
      backend = (await res.json()) as Backend;
      await setViewport(phone);
    });

    after(() => setViewport({ width: 800, height: 600 }));

    it('fits every step of the handoff editor, with a long title, and the list it saves to', async () => {
      const el = await mount('admin');
      const list = el.shadowRoot!.querySelector('c2m-handoff-list')!;
      list.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!.click();
      await el.updateComplete;
      const editor = el.shadowRoot!.querySelector('c2m-handoff-editor')!;
      await editor.updateComplete;

      typeInto(field(editor, '#title'), `${LONG_TOKEN}-${Date.now()}`);
      typeInto(field(editor, '#days'), '2');
      typeInto(field(editor, '#hours'), '5');
      await editor.updateComplete;
      expectFits(el, 'handoff editor, step 1');

      // a step refused shows its errors: those must fit too
      typeInto(field(editor, '#days'), '-1234567890123');
      await press(editor, 'next');
      expectFits(el, 'handoff editor, step 1 with errors');
      typeInto(field(editor, '#days'), '2');
      await press(editor, 'next');
      expect(field(editor, '#enable-sms'), 'step 2').to.exist;
      expectFits(el, 'handoff editor, step 2');

      // every channel that combines on (in-app stands alone): step 3 shows each one's composer,
      // WhatsApp's template picker too
      for (const box of deepQueryAll<HTMLInputElement>(editor.shadowRoot!, '[id^="enable-"]')) {
        if (box.checked !== (box.id !== 'enable-inapp')) box.click();
      }
      await editor.updateComplete;
      expectFits(el, 'handoff editor, step 2 with every channel');
      await press(editor, 'next');
      await waitUntil(
        () => stepHeading(editor)?.startsWith('Step 3'),
        `not on step 3 but ${stepHeading(editor)}: ${deepQueryAll(editor.shadowRoot!, '.error')
          .map((e) => e.textContent?.trim())
          .join('; ')}`,
      );
      await new Promise((r) => setTimeout(r, 300)); // the template picker loads
      expectFits(el, 'handoff editor, step 3 with every channel');
      await press(editor, 'next'); // refused: WhatsApp has no template yet
      expectFits(el, 'handoff editor, step 3 with errors');

      // back to SMS only, then a message and the preview
      await press(editor, 'back');
      for (const box of deepQueryAll<HTMLInputElement>(editor.shadowRoot!, '[id^="enable-"]')) {
        if (box.checked !== (box.id === 'enable-sms')) box.click();
      }
      await press(editor, 'next');
      await waitUntil(() => field(editor, '#message'), 'no SMS composer');
      typeInto(
        field(editor, '#message'),
        `Hi {{1}}, continue at https://example.com/${LONG_TOKEN}`,
      );
      await editor.updateComplete;
      // {{1}} needs a default (sent when the IVR gives none); a long one tests the wrapping too
      await waitUntil(() => field(editor, '#default-1'), 'no default asked for {{1}}');
      typeInto(field(editor, '#default-1'), `there-${LONG_TOKEN}`);
      await editor.updateComplete;
      expectFits(el, 'handoff editor, step 3 with a long message');
      await press(editor, 'next');
      expect(editor.shadowRoot!.querySelector('[part="preview"]'), 'the preview').to.exist;
      expectFits(el, 'handoff editor, step 4 (preview)');

      await press(editor, 'next'); // save
      await waitUntil(() => el.shadowRoot!.querySelector('c2m-handoff-list'), 'not saved');
      await settled(el);
      expectFits(el, 'handoff list with the long title');
    });

    it('fits every view the navigation offers, and its create screen', async () => {
      const el = await mount('admin');
      const labels = navButtons(el).map((b) => b.textContent.trim());
      expect(labels.length).to.be.greaterThan(3);
      expectFits(el, `the first view (${labels[0]})`);

      for (const label of labels) {
        await openView(el, label);
        expectFits(el, `view “${label}”`);
        const view = currentView(el)!;
        const create = deepQuery<HTMLElement>(view.shadowRoot!, '[part="create"]');
        if (create instanceof HTMLButtonElement) {
          create.click();
          await el.updateComplete;
          await settled(el);
          expectFits(el, `view “${label}”, create screen`);
        } else if (create) {
          // a create form in the view itself: submitted empty, its errors show; then filled
          // with long values (and the first choice of each group) and submitted for real
          const submit = () =>
            create.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
          submit();
          await new Promise((r) => setTimeout(r, 50));
          expectFits(el, `view “${label}”, create form with errors`);
          fillLong(create);
          for (const group of create.querySelectorAll('fieldset')) {
            group.querySelector<HTMLInputElement>('input[type="checkbox"]:not(:checked)')?.click();
          }
          submit();
          await new Promise((r) => setTimeout(r, 500));
          await settled(el);
          expectFits(el, `view “${label}”, created with long values`);
        } else if (view.shadowRoot!.querySelector('form')) {
          // a form of settings: long values typed (not saved) and the hints and errors they bring
          fillLong(view.shadowRoot!.querySelector('form')!);
          await new Promise((r) => setTimeout(r, 50));
          expectFits(el, `view “${label}” with long values typed`);
        }
      }
    });

    it('fits a read-only session, which opens a handoff as its preview', async () => {
      const el = await mount('read_only');
      expectFits(el, 'read-only handoff list');
      const list = el.shadowRoot!.querySelector('c2m-handoff-list')!;
      list.shadowRoot!.querySelector<HTMLButtonElement>('[part="open"]')!.click();
      await el.updateComplete;
      await settled(el);
      expect(deepQuery(el.shadowRoot!, '[part="preview"]')).to.exist;
      expectFits(el, 'read-only handoff preview');
      for (const label of navButtons(el).map((b) => b.textContent.trim())) {
        await openView(el, label);
        expectFits(el, `read-only view “${label}”`);
      }
    });
  });
