import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type LineType = 'mobile' | 'landline' | 'unknown';

/** Where a line type comes from: offline metadata by default, a lookup provider later. */
export interface DeviceLookup {
  lineType(e164: string): Promise<LineType>;
}

/** A number libphonenumber knows to be valid for its country, given in E.164 form. */
export function isValidE164(value: string): boolean {
  const parsed = parsePhoneNumberFromString(value);
  return parsed !== undefined && parsed.isValid() && parsed.number === value;
}

/**
 * Line type from libphonenumber's full metadata: no network call, so device check costs nothing.
 * Numbers that may be either (e.g. US `FIXED_LINE_OR_MOBILE`) count as mobile: we never refuse a
 * caller on a guess.
 */
export const offlineDeviceLookup: DeviceLookup = {
  lineType(e164) {
    const type = parsePhoneNumberFromString(e164)?.getType();
    if (type === 'FIXED_LINE') return Promise.resolve('landline');
    if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return Promise.resolve('mobile');
    return Promise.resolve('unknown');
  },
};
