import { msg, str } from '@lit/localize';
import { locale } from '../locale.js';
import { html, svg, nothing, type TemplateResult } from 'lit';

// The dashboard's charts, drawn as plain SVG (no chart library: a few rects are all they need).
// Each is a <figure role="img"> whose aria-label says what it shows, beside a <table> with the
// same numbers: visually hidden (a screen reader still reads it) until "Show as table".

/** A count in the shown language's digits. */
export const formatCount = (n: number) => locale.number(n);
const percent = (value: number, max: number) => (max > 0 ? (value / max) * 100 : 0);

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** `accent` (default), `muted` or `danger`. */
  tone?: 'accent' | 'muted' | 'danger';
}

/** Labelled horizontal bars, each an SVG rect as wide as its share of `max`. */
export function barList(bars: readonly Bar[], max = Math.max(0, ...bars.map((b) => b.value))) {
  return html`<ul class="bars" aria-hidden="true">
    ${bars.map(
      (b) =>
        html`<li class="bar-row" data-key=${b.key}>
          <span class="bar-label">${b.label}</span>
          <svg class="bar-track" part="bar-track" preserveAspectRatio="none">
            ${svg`<rect class=${`bar bar--${b.tone ?? 'accent'}`} part="bar" x="0" y="0"
              height="100%" width=${`${percent(b.value, max)}%`}></rect>`}
          </svg>
          <span class="bar-value">${formatCount(b.value)}</span>
        </li>`,
    )}
  </ul>`;
}

export interface Series<K extends string = string> {
  key: K;
  label: string;
  /** 1, 2 or 3: the `--c2m-chart-color-N` it is drawn in. */
  color: 1 | 2 | 3;
}

/** Grouped vertical bars, one group per point (a day), one bar per series. */
export function groupedColumns<P, K extends keyof P & string>(
  points: readonly P[],
  series: readonly Series<K>[],
  labelOf: (p: P) => string,
) {
  const slot = series.length + 1; // a gap between groups
  const max = Math.max(1, ...points.flatMap((p) => series.map((s) => Number(p[s.key]))));
  const width = Math.max(1, points.length * slot);
  return html`<div class="columns" aria-hidden="true">
    <svg
      class="columns-plot"
      part="trend-plot"
      viewBox=${`0 0 ${width} 100`}
      preserveAspectRatio="none"
    >
      ${points.map((p, i) =>
        series.map((s, j) => {
          const h = percent(Number(p[s.key]), max);
          return svg`<rect class=${`column column--${s.color}`} x=${i * slot + j + 0.1}
            y=${100 - h} width="0.8" height=${h}></rect>`;
        }),
      )}
    </svg>
    <div class="columns-axis">
      <span>${points.length ? labelOf(points[0]) : ''}</span>
      <span>${msg(str`max ${formatCount(max)}`)}</span>
      <span>${points.length > 1 ? labelOf(points[points.length - 1]) : ''}</span>
    </div>
    <ul class="legend">
      ${series.map(
        (s) => html`<li><span class=${`swatch column--${s.color}`}></span>${s.label}</li>`,
      )}
    </ul>
  </div>`;
}

export interface ChartOptions {
  id: string;
  title: string;
  /** What the chart says in a sentence: the figure's accessible name. */
  summary: string;
  /** Whether the table is shown (it is always there for screen readers). */
  tableShown: boolean;
  onToggle: () => void;
  figure: TemplateResult | typeof nothing;
  table: TemplateResult;
}

/** One chart's card: heading, "Show as table", the figure and its table. */
export function chartCard(o: ChartOptions) {
  return html`<section
    class="chart"
    part="chart"
    data-chart=${o.id}
    aria-labelledby=${`${o.id}-title`}
  >
    <div class="chart-head">
      <h3 id=${`${o.id}-title`}>${o.title}</h3>
      <button
        type="button"
        part="table-toggle"
        aria-expanded=${String(o.tableShown)}
        aria-controls=${`${o.id}-table`}
        @click=${o.onToggle}
      >
        ${o.tableShown ? msg('Hide table') : msg('Show as table')}
      </button>
    </div>
    <figure part="figure" role="img" aria-label=${o.summary}>${o.figure}</figure>
    <div id=${`${o.id}-table`} class=${o.tableShown ? 'table-wrap' : 'visually-hidden'}>
      ${o.table}
    </div>
  </section>`;
}
