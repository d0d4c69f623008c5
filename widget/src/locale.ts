import { setUpLocale } from '../../l10n/locale.js';
import { sourceLocale, targetLocales } from './locales/locale-codes.js';

// This bundle's languages: English built in, Spanish loaded when first asked for. Add a language:
// README, "Languages".

/** The bundle's one locale setup: the language shown, and Intl formatting in it. */
export const locale = setUpLocale({
  sourceLocale,
  targetLocales,
  loaders: { es: () => import('./locales/es.js') },
});
