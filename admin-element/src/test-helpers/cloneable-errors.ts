// @web/test-runner 0.20 sends test results to Node with structuredClone();
// a failed assertion whose `actual`/`expected` is a DOM node (or a function)
// is not cloneable, so the whole test file hangs until testsFinishTimeout.
// This root hook turns such values into strings before results are sent.
// Import it first in every web test file.
const toCloneable = (v: unknown): unknown => {
  try {
    structuredClone(v);
    return v;
  } catch {
    if (v instanceof Element) return (v.cloneNode(false) as Element).outerHTML;
    return String(v);
  }
};

afterEach(function () {
  const err = this.currentTest?.err as { actual?: unknown; expected?: unknown } | undefined;
  if (!err) return;
  if ('actual' in err) err.actual = toCloneable(err.actual);
  if ('expected' in err) err.expected = toCloneable(err.expected);
});
