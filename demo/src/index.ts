// The demo page's script (backend/public/index.html loads it as /demo/assets/demo.js): defines the
// demo's tags. A tag already defined (a second copy of this bundle on the page) is left alone.
import { C2mDemo } from './c2m-demo/c2m-demo.js';
import { C2mDemoIvr } from './c2m-demo-ivr/c2m-demo-ivr.js';
import { C2mDemoPhone } from './c2m-demo-phone/c2m-demo-phone.js';

export { C2mDemo, C2mDemoIvr, C2mDemoPhone };

const elements: [string, CustomElementConstructor][] = [
  // the panels first, so the page renders them as soon as it renders
  ['c2m-demo-ivr', C2mDemoIvr],
  ['c2m-demo-phone', C2mDemoPhone],
  ['c2m-demo', C2mDemo],
];
for (const [tag, element] of elements) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
