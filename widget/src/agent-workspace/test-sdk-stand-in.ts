// A local stand-in for LivePerson's Agent Workspace Widget SDK (`lpTag.agentSDK`), which is not
// reachable offline. It follows the SDK's documented behaviour: `init` first, `get` gives `null`
// for a path without data, `bind` fires with the current value (if any) and then with the full new
// value on each change, `unbind` needs the same function reference. Like the real SDK, which talks
// to the workspace over postMessage, every answer arrives in a later task, never synchronously.
import type {
  AgentSdk,
  AgentSdkDoneCallback,
  AgentSdkInitOptions,
  AgentSdkUpdateCallback,
} from './agent-sdk.js';

type Model = Record<string, unknown>;

const isRecord = (v: unknown): v is Model =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A later task, as a postMessage answer would arrive. */
const later = (fn: () => void) => void setTimeout(fn, 0);

/** The value at a dotted path, or undefined. */
function at(model: Model, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), model);
}

/** Bound paths that a change at `changed` affects: the path itself, its parents and children. */
const related = (bound: string, changed: string) =>
  bound === changed || bound.startsWith(`${changed}.`) || changed.startsWith(`${bound}.`);

export class AgentSdkStandIn implements AgentSdk {
  private model: Model;
  private initialised = false;
  private readonly bindings: { path: string; callback: AgentSdkUpdateCallback }[] = [];
  /** Every call made, in order, for tests to check (e.g. that unbind got the bound callback). */
  readonly calls: { method: 'init' | 'get' | 'bind' | 'unbind'; path?: string; fn?: unknown }[] =
    [];

  constructor(model: Model = {}) {
    this.model = structuredClone(model);
  }

  init(_options: AgentSdkInitOptions) {
    this.calls.push({ method: 'init' });
    this.initialised = true;
  }

  get(path: string, onSuccess: (data: unknown) => void, onError?: (err: unknown) => void) {
    this.calls.push({ method: 'get', path });
    const refused = this.refusal('get', path);
    later(() => (refused ? onError?.(refused) : onSuccess(this.current(path))));
  }

  bind(path: string, callback: AgentSdkUpdateCallback, notifyWhenDone?: AgentSdkDoneCallback) {
    this.calls.push({ method: 'bind', path, fn: callback });
    const refused = this.refusal('bind', path);
    if (!refused) this.bindings.push({ path, callback });
    later(() => {
      notifyWhenDone?.(refused);
      const value = this.current(path);
      if (!refused && value !== null && this.isBound(path, callback)) {
        callback({ key: path, newValue: value });
      }
    });
  }

  unbind(path: string, callback: AgentSdkUpdateCallback, notifyWhenDone?: AgentSdkDoneCallback) {
    this.calls.push({ method: 'unbind', path, fn: callback });
    const i = this.bindings.findIndex((b) => b.path === path && b.callback === callback);
    if (i >= 0) this.bindings.splice(i, 1);
    const refused =
      this.refusal('unbind', path) ??
      (i < 0 ? new Error(`Error calling "unbind" on the following key: ${path}`) : undefined);
    later(() => notifyWhenDone?.(refused));
  }

  /** The workspace changes `path` (e.g. the agent opens another conversation): bindings hear it. */
  set(path: string, value: unknown) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let node = this.model;
    for (const key of keys) {
      if (!isRecord(node[key])) node[key] = {};
      node = node[key] as Model;
    }
    node[last] = structuredClone(value);
    for (const b of this.bindings.filter((b) => related(b.path, path))) {
      const newValue = this.current(b.path);
      later(() => {
        if (this.isBound(b.path, b.callback)) b.callback({ key: b.path, newValue });
      });
    }
  }

  /** How many bindings are live, in all or for one path. */
  bindingCount(path?: string): number {
    return this.bindings.filter((b) => path === undefined || b.path === path).length;
  }

  /** A copy, as the real SDK serialises across the iframe; `null` when there is no data. */
  private current(path: string): unknown {
    const value = at(this.model, path);
    return value === undefined ? null : structuredClone(value);
  }

  private isBound(path: string, callback: AgentSdkUpdateCallback) {
    return this.bindings.some((b) => b.path === path && b.callback === callback);
  }

  private refusal(method: string, path: string): Error | undefined {
    if (!this.initialised)
      return new Error('No channel defined ... Maybe you are missing a call to "init"?');
    if (!path) return new Error(`No key/cmdName provided for "${method}"`);
    return undefined;
  }
}
