import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { type CsvCell, csvStream, csvText } from '../../src/services/csv.ts';

const HEADER = ['name', 'amount_fen', 'flagged'];

/** Buffer's decoding keeps the byte order mark (TextDecoder's would drop it). */
const text = async (stream: Readable) => (await buffer(stream)).toString('utf8');

describe('CSV for spreadsheets', () => {
  it('starts with a byte order mark and the header, and ends lines with CRLF', () => {
    expect(csvText(HEADER, [['星河', 29900, true]])).toBe(
      '\uFEFFname,amount_fen,flagged\r\n星河,29900,true\r\n',
    );
  });

  it('quotes a cell holding a comma, a quote or a line break (RFC 4180), and leaves empty cells empty', () => {
    expect(
      csvText(HEADER, [
        ['a,b', null, false],
        ['say "hi"', undefined, false],
        ['one\ntwo', 0, false],
      ]),
    ).toBe('\uFEFFname,amount_fen,flagged\r\n"a,b",,false\r\n"say ""hi""",,false\r\n"one\ntwo",0,false\r\n');
  });

  it('defuses a text cell a spreadsheet would run as a formula, but not a negative number', () => {
    const rows: CsvCell[][] = [
      ['=SUM(A1)', -500, false],
      ['+1', 0, false],
      ['-1', 0, false],
      ['@x', 0, false],
    ];
    expect(csvText(HEADER, rows).split('\r\n').slice(1, -1)).toEqual([
      "'=SUM(A1),-500,false",
      "'+1,0,false",
      "'-1,0,false",
      "'@x,0,false",
    ]);
  });

  it('streams the same file, the header alone when there are no rows', async () => {
    async function* rows(): AsyncGenerator<CsvCell[]> {
      yield ['a,b', 1, true];
    }
    async function* none(): AsyncGenerator<CsvCell[]> {}
    expect(await text(csvStream(HEADER, rows()))).toBe(csvText(HEADER, [['a,b', 1, true]]));
    expect(await text(csvStream(HEADER, none()))).toBe('\uFEFFname,amount_fen,flagged\r\n');
  });

  it('ends the stream with the error of a failing source', async () => {
    async function* failing(): AsyncGenerator<CsvCell[]> {
      yield ['a', 1, true];
      throw new Error('database gone');
    }
    await expect(text(csvStream(HEADER, failing()))).rejects.toThrow('database gone');
  });
});
