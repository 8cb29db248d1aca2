/**
 * CSV for spreadsheets, written by csv-stringify: UTF-8 with a byte order mark
 * (Excel reads Chinese text right only with it), CRLF lines, RFC 4180 quoting,
 * and a text cell a spreadsheet would run as a formula (= + - @ tab CR) prefixed
 * with an apostrophe.
 */
import { pipeline, Readable } from 'node:stream';
import { type Options, stringify } from 'csv-stringify';
import { stringify as stringifyAll } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null | undefined;

function options(header: readonly string[]): Options {
  return {
    bom: true,
    header: true,
    columns: [...header],
    record_delimiter: 'windows',
    // Given a record delimiter, the library would otherwise leave a lone \n or \r unquoted.
    quote_record_delimiter: true,
    escape_formulas: true,
    // `true`/`false` rather than the library's `1`/empty.
    cast: { boolean: String },
  };
}

/** A whole file at once, for exports small enough to build in memory. */
export function csvText(header: readonly string[], rows: CsvCell[][]): string {
  return stringifyAll(rows, options(header));
}

/** A file streamed row by row; a failing source ends the stream with its error. */
export function csvStream(header: readonly string[], rows: AsyncIterable<CsvCell[]>): Readable {
  // The callback only acknowledges: the error reaches the reply through the returned stream.
  return pipeline(Readable.from(rows), stringify(options(header)), () => {});
}
