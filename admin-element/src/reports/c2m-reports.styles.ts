import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { tableStyles } from '../shared/table-styles.js';

export default [
  sharedStyles,
  tableStyles,
  css`
    :host {
      --_chart-1: var(--c2m-chart-color-1, var(--c2m-color-accent, #0b5cad));
      --_chart-2: var(--c2m-chart-color-2, #4f8a3c);
      --_chart-3: var(--c2m-chart-color-3, #b05f00);
      --_track: var(--c2m-chart-track, #e6e9ee);
    }

    .filters {
      display: grid;
      gap: var(--c2m-gap, 0.75rem);
      margin: 0 0 var(--c2m-gap, 0.75rem);
    }

    .range {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: var(--c2m-gap, 0.75rem);
      margin: 0;
      padding: 0;
      border: 0;
    }

    .range legend {
      margin-bottom: 0.25em;
      padding: 0;
      font-weight: 600;
    }

    .range .field,
    .selects .field {
      margin: 0;
    }

    .range .error {
      flex-basis: 100%;
    }

    .presets,
    .selects,
    .refresh {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 0.5em var(--c2m-gap, 0.75rem);
    }

    .presets button[aria-pressed='true'] {
      color: var(--c2m-color-accent, #0b5cad);
      font-weight: 600;
      border-color: var(--c2m-color-accent, #0b5cad);
    }

    .refresh {
      align-items: center;
    }

    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));
      gap: var(--c2m-gap, 0.75rem);
    }

    .chart {
      min-width: 0;
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    .chart-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: 0.5em;
    }

    .chart-head button {
      padding: 0.2em 0.6em;
    }

    figure {
      margin: 0 0 0.5em;
    }

    .table-wrap {
      overflow-x: auto;
    }

    caption {
      padding-bottom: 0.25em;
      text-align: left;
      font-weight: 600;
    }

    .funnel {
      display: grid;
      gap: 0.75em;
    }

    .bars {
      display: grid;
      gap: 0.35em;
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .bar-row {
      display: grid;
      grid-template-columns: minmax(6rem, 40%) 1fr minmax(3rem, auto);
      align-items: center;
      gap: 0.5em;
    }

    .bar-track {
      display: block;
      width: 100%;
      height: 1.1em;
      background: var(--_track);
      border-radius: 2px;
    }

    .bar-value {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }

    .bar {
      fill: var(--_chart-1);
    }

    .bar--muted {
      fill: var(--c2m-color-muted, #595959);
    }

    .bar--danger {
      fill: var(--c2m-color-danger, #b3261e);
    }

    .columns-plot {
      display: block;
      width: 100%;
      height: 9rem;
      background: var(--_track);
    }

    .column--1 {
      fill: var(--_chart-1);
      background: var(--_chart-1);
    }

    .column--2 {
      fill: var(--_chart-2);
      background: var(--_chart-2);
    }

    .column--3 {
      fill: var(--_chart-3);
      background: var(--_chart-3);
    }

    .columns-axis {
      display: flex;
      justify-content: space-between;
      color: var(--c2m-color-muted, #595959);
    }

    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25em 1em;
      margin: 0.25em 0 0;
      padding: 0;
      list-style: none;
    }

    .swatch {
      display: inline-block;
      width: 0.8em;
      height: 0.8em;
      margin-right: 0.35em;
      border-radius: 2px;
    }
  `,
];
