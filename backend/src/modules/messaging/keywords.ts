/** The carrier-standard keywords (CTIA, and Twilio's defaults), matched on the whole message. */
const STOP = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'END',
  'QUIT',
  'CANCEL',
  'OPTOUT',
  'REVOKE',
]);
const START = new Set(['START', 'UNSTOP']);
const HELP = new Set(['HELP']);

export type Keyword = 'stop' | 'start' | 'help';

/**
 * `Stop`, ` STOP! `, `"stop."` are all STOP; `please stop texting me` is a message for an agent,
 * not a keyword (carriers match the whole message too).
 */
export function keywordOf(text: string): Keyword | undefined {
  const word = text
    .trim()
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
  if (STOP.has(word)) return 'stop';
  if (START.has(word)) return 'start';
  if (HELP.has(word)) return 'help';
  return undefined;
}
