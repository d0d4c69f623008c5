import {
  TransactionRecord,
  type ExportFormat,
  type OptOutLedgerRecord,
  type ReportWindow,
} from '../../../contract/reporting.js';
import { readInChunks, type Db } from '../../db/database.js';
import { eachRecord } from './transactions.query.js';

const TRANSACTION_COLUMNS = Object.keys(TransactionRecord.shape) as (keyof TransactionRecord)[];
const OPT_OUT_COLUMNS: (keyof OptOutLedgerRecord)[] = [
  'phone',
  'action',
  'source',
  'keyword',
  'time',
];
/** Rows per chunk written to the socket: big enough to amortise, small enough to stay responsive. */
const CHUNK_ROWS = 1000;

/**
 * A field a spreadsheet may run as a formula (OWASP's CSV injection guidance): one that starts with
 * tab or CR, or with =, +, - or @ once leading whitespace and control characters are skipped, as
 * spreadsheets skip them (" =1+1" is a formula). A plain number is not one, so an E.164 phone
 * (+14155550100) or -12.5 stays as it is.
 */
// eslint-disable-next-line no-control-regex -- control characters are what spreadsheets skip
const FORMULA = /^[\t\r]|^[\s\u0000-\u001f\u007f-\u009f]*[=+\-@]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** RFC 4180: quote a field when it holds a comma, quote, CR or LF; defuse a formula with `'`. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * `JSON.stringify(row) + '\n'` for rows of scalar fields that all have every key, with the keys'
 * text made once: exports write millions of rows with the same keys.
 */
export function jsonLine<T>(columns: (keyof T)[]): (row: T) => string {
  const keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c)}:`);
  return (row) => {
    let text = '';
    for (let i = 0; i < columns.length; i++) {
      const value: unknown = row[columns[i]];
      text +=
        keys[i] +
        (value === null || value === undefined
          ? 'null'
          : typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
            ? String(value)
            : JSON.stringify(value));
    }
    return `${text}}\n`;
  };
}

/** The rows as text, one string per chunk of rows (a header first for CSV). */
async function* lines<T>(
  chunks: AsyncIterable<T[]>,
  columns: (keyof T)[],
  format: ExportFormat,
): AsyncGenerator<string> {
  const line =
    format === 'csv'
      ? (r: T) =>
          columns.map((c) => csvField(r[c] as Parameters<typeof csvField>[0])).join(',') + '\r\n'
      : jsonLine(columns);
  if (format === 'csv') yield columns.map((c) => String(c)).join(',') + '\r\n';
  for await (const rows of chunks) yield rows.map(line).join('');
}

/** What one export reads: the account's transactions or opt-out ledger, over a window. */
export interface ExportRequest {
  name: 'transactions' | 'optouts';
  accountId: string;
  window: ReportWindow;
  format: ExportFormat;
}

/**
 * The export's text, one string per chunk of rows, read from a connection of its own (see
 * readInChunks). `db` only compiles the queries. Runs on the export thread (export-worker.ts).
 */
export function exportLines(db: Db, file: string, request: ExportRequest): AsyncGenerator<string> {
  const { accountId, window, format } = request;
  return request.name === 'transactions'
    ? lines(eachRecord(db, file, accountId, window), TRANSACTION_COLUMNS, format)
    : lines(optOutRecords(db, file, accountId, window), OPT_OUT_COLUMNS, format);
}

/** The opt-out ledger of the window: every STOP and START with its source and time. */
async function* optOutRecords(
  db: Db,
  file: string,
  accountId: string,
  window: ReportWindow,
): AsyncGenerator<OptOutLedgerRecord[]> {
  const query = db
    .selectFrom('optout_ledger')
    .select(['phone', 'action', 'source', 'keyword', 'at'])
    .where('account_id', '=', accountId)
    .where('at', '>=', window.attemptedStartTime)
    .where('at', '<', window.attemptedEndTime)
    .orderBy('at')
    .orderBy('id')
    .compile();
  type LedgerRow = Omit<OptOutLedgerRecord, 'time'> & { at: number };
  for await (const rows of readInChunks<LedgerRow>(file, query, CHUNK_ROWS)) {
    yield rows.map(({ at, ...r }) => ({ ...r, time: new Date(at).toISOString() }));
  }
}
