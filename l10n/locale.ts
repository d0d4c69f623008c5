import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { configureLocalization, type LocaleModule } from '@lit/localize';

// The language of an element bundle (the admin's, the widget's), shared by both: which of the
// bundle's locales a `lang` asks for, which element's `lang` wins, and Intl formatting in it.
//
// @lit/localize in runtime mode has one locale per bundle, so every element of one bundle shows the
// same language. It is the `lang` of the bundle's root element (`<c2m-admin>`, `<c2m-cx-widget>`,
// or the nearest ancestor with a `lang`), else `<html lang>`, else the source locale (English).
// When two root elements of one bundle ask for different languages, the one connected or changed
// last wins. The two bundles are separate, so a widget and an admin on one page can differ.

/** What a bundle's `configureLocalization` returned, and its locale codes. */
export interface LocaleRuntime {
  sourceLocale: string;
  targetLocales: readonly string[];
  getLocale(): string;
  setLocale(locale: string): Promise<void>;
}

/**
 * The bundle's locale (`en`, `es`) a `lang` tag asks for: the exact locale, else the one of its
 * language (`es-MX` → `es`), else the source locale.
 */
export function matchLocale(tag: string, r: Pick<LocaleRuntime, 'sourceLocale' | 'targetLocales'>) {
  const all = [r.sourceLocale, ...r.targetLocales];
  const wanted = tag.trim().toLowerCase();
  const language = wanted.split('-')[0];
  return (
    all.find((l) => l.toLowerCase() === wanted) ??
    all.find((l) => l.toLowerCase() === language) ??
    r.sourceLocale
  );
}

/** The `lang` in force at `el`: its own, an ancestor's, or the page's. */
export function langOf(el: Element): string {
  return el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? '';
}

/** The locale setup of one bundle, made once at its load with `localeSetup(runtime)`. */
export class LocaleSetup {
  /** Root elements connected, the last to connect or change its `lang` last. */
  private readonly roots: Element[] = [];
  private requestedTag = '';
  /**
   * The locale asked for last, shown or still loading. Not `getLocale()`: that stays the shown one
   * until a switch is done, so a switch back asked for meanwhile would be lost.
   */
  private asked?: string;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly runtime: LocaleRuntime) {
    new MutationObserver(() => this.apply()).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['lang'],
    });
    this.apply();
  }

  /** The locale the text is shown in: `en`, `es`. */
  get locale(): string {
    return this.runtime.getLocale();
  }

  /**
   * The locale for Intl: the `lang` asked for when it is of the shown language (`es-MX` shows
   * Spanish with Mexican dates), else the shown locale, so dates never differ from the text.
   */
  get formatLocale(): string {
    const tag = this.requestedTag;
    const language = (t: string) => t.toLowerCase().split('-')[0];
    const ok = tag && language(tag) === language(this.locale) && supported(tag);
    return ok ? tag : this.locale;
  }

  /** Resolves when the locale asked for last is loaded and shown. */
  settled(): Promise<void> {
    return this.pending;
  }

  /** Makes `el` the root whose `lang` decides (see the module comment). */
  claim(el: Element): void {
    this.forget(el);
    this.roots.push(el);
    this.apply();
  }

  /** `el` is gone: the root before it (or the page) decides again. */
  release(el: Element): void {
    this.forget(el);
    this.apply();
  }

  private forget(el: Element) {
    const i = this.roots.indexOf(el);
    if (i >= 0) this.roots.splice(i, 1);
  }

  /** Asks for the locale of the last root's `lang` (or the page's) when it changed. */
  apply(): void {
    const root = this.roots.at(-1);
    this.requestedTag = root ? langOf(root) : document.documentElement.lang;
    const wanted = matchLocale(this.requestedTag, this.runtime);
    if (wanted !== (this.asked ?? this.runtime.getLocale())) {
      this.asked = wanted;
      this.pending = this.runtime.setLocale(wanted).catch((err: unknown) => {
        // the language shown is still the one before: ask for this one again next time
        if (this.asked === wanted) this.asked = undefined;
        console.error(`c2m: the ${wanted} translation could not be loaded`, err);
      });
    }
  }

  /** `date` as a date (and time), in the shown language. */
  date(
    date: Date | number | string,
    options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
  ) {
    const d = typeof date === 'string' ? Date.parse(date) : date;
    return formatter(Intl.DateTimeFormat, this.formatLocale, options).format(d);
  }

  /** `n` with the shown language's digits grouping and decimal sign. */
  number(n: number, options: Intl.NumberFormatOptions = {}) {
    return formatter(Intl.NumberFormat, this.formatLocale, options).format(n);
  }

  /** How long ago (or from now) `date` is: `5 minutes ago`, `hace 5 minutos`, `yesterday`. */
  relative(date: Date | number | string, now: number = Date.now()) {
    const d = typeof date === 'string' ? Date.parse(date) : +date;
    const seconds = (d - now) / 1000;
    const [value, unit] = relativeUnit(seconds);
    return formatter(Intl.RelativeTimeFormat, this.formatLocale, { numeric: 'auto' }).format(
      value,
      unit,
    );
  }

  /** A list: `SMS, WhatsApp and RCS`, `SMS, WhatsApp y RCS`. */
  list(items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction') {
    return formatter(Intl.ListFormat, this.formatLocale, { type }).format(items);
  }
}

function supported(tag: string) {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false; // not a valid language tag
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** `seconds` in the largest unit it is at least one of, rounded. */
export function relativeUnit(seconds: number): [number, Intl.RelativeTimeFormatUnit] {
  let value = seconds;
  for (const [unit, size] of UNITS) {
    if (Math.abs(value) < size) return [Math.round(value), unit];
    value /= size;
  }
  return [Math.round(value), 'year'];
}

const formatters = new Map<string, { format(...args: never[]): string }>();

/** One Intl formatter per kind, locale and options, made when first needed. */
function formatter<F extends { format(...args: never[]): string }, O>(
  kind: new (locale: string, options: O) => F,
  locale: string,
  options: O,
): F {
  const key = `${kind.name} ${locale} ${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new kind(locale, options)));
  return f as F;
}

/**
 * Put on a bundle's root element: its `lang` (and its ancestors', and the page's) decides the
 * bundle's language while it is connected; a change of its `lang` attribute applies at once.
 */
export class LocaleController implements ReactiveController {
  private readonly observer = new MutationObserver(() => this.setup.claim(this.host));

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly setup: LocaleSetup,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.observer.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    this.setup.claim(this.host);
  }

  hostDisconnected() {
    this.observer.disconnect();
    this.setup.release(this.host);
  }
}

/**
 * A bundle's one locale setup, made once when the bundle loads: its locale codes (the generated
 * locales/locale-codes.ts) and, for each other locale, how to load its module (generated from
 * xliff/<locale>.xlf). Each module is loaded when its language is first asked for, so the English
 * first paint carries no translation.
 */
export function setUpLocale(o: {
  sourceLocale: string;
  targetLocales: readonly string[];
  loaders: Record<string, () => Promise<LocaleModule>>;
}): LocaleSetup {
  const { sourceLocale, targetLocales } = o;
  const runtime = configureLocalization({
    sourceLocale,
    targetLocales,
    loadLocale: (l) => o.loaders[l](),
  });
  return new LocaleSetup({ sourceLocale, targetLocales, ...runtime });
}
