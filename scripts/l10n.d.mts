/** The element bundles that have translation catalogues. */
export declare const BUNDLES: string[];
/** Untranslated trans-units in an XLIFF file's text. */
export declare function untranslated(xliff: string): number;
/** Extracts and builds every bundle's catalogues; one report line per bundle and language. */
export declare function buildCatalogues(): string[];
