/**
 * How an SMS text splits into segments. GSM-7 (the GSM 03.38 alphabet) fits 160 characters in one
 * segment and 153 in each part of a longer message (the rest carries the part header); one
 * character outside it turns the whole text into UCS-2: 70, or 67 per part. Characters of the
 * GSM-7 extension table (`€ [ ] { } \ ^ ~ |` and form feed) take two septets, and like a UTF-16
 * surrogate pair they are never split between two segments.
 */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsCount {
  encoding: SmsEncoding;
  /** UTF-16 code units: what the 140 guidance and the 1600 maximum count, like the server does. */
  characters: number;
  /** Septets (GSM-7) or 16-bit units (UCS-2) the text takes on the wire. */
  units: number;
  segments: number;
  /** The first character that forced UCS-2, to tell the user what to change. */
  firstNonGsm?: string;
}

export const SINGLE = { 'GSM-7': 160, 'UCS-2': 70 } as const;
export const MULTIPART = { 'GSM-7': 153, 'UCS-2': 67 } as const;

export function countSms(text: string): SmsCount {
  const chars = [...text]; // code points: an emoji stays whole
  const firstNonGsm = chars.find((c) => !GSM_BASIC.has(c) && !GSM_EXTENSION.has(c));
  const encoding: SmsEncoding = firstNonGsm === undefined ? 'GSM-7' : 'UCS-2';
  const width = (c: string) => (encoding === 'UCS-2' ? c.length : GSM_EXTENSION.has(c) ? 2 : 1);
  const units = chars.reduce((sum, c) => sum + width(c), 0);
  return {
    encoding,
    characters: text.length,
    units,
    segments: segmentCount(chars.map(width), SINGLE[encoding], MULTIPART[encoding]),
    ...(firstNonGsm !== undefined && { firstNonGsm }),
  };
}

/** Fills parts greedily, moving a character that does not fit whole to the next part. */
function segmentCount(widths: number[], single: number, multipart: number): number {
  const total = widths.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > multipart) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return segments;
}
