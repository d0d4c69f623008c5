// Types of bundle-budget.mjs, for vite.config.ts.
import type { Plugin } from 'vite';

/** First-paint budgets in kB (1,000 bytes) of gzip, per entry name. */
export const BUDGETS_KB: Readonly<Record<string, number>>;

/** A Vite plugin that prints each budgeted element's first-paint size and fails over budget. */
export function bundleBudget(budgets?: Readonly<Record<string, number>>): Plugin;
