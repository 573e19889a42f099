import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseDataSetSpec, readDataSet } from './data-set.js';

const DATA = join(import.meta.dirname, '../../../shared/data');

describe('parseDataSetSpec', () => {
  it('returns the format and a path that may hold colons', () => {
    expect(parseDataSetSpec('casas:C:/data/aruba.txt')).toEqual({
      format: 'casas',
      path: 'C:/data/aruba.txt',
    });
  });

  it('throws INVALID_ARGUMENT for an unknown format or a missing path', () => {
    for (const spec of ['sqlite:home.db', 'kasteren:', 'kasteren']) {
      expect(() => parseDataSetSpec(spec)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });
});

describe('readDataSet', () => {
  it('returns the history the named reader produces', () => {
    const home = readDataSet(`ordonez:${join(DATA, 'adl/ordonez-a')}`);
    expect(home.format).toBe('ordonez');
    expect(home.files.map((file) => file.split('/').at(-1))).toEqual([
      'OrdonezA_Sensors.txt',
      'OrdonezA_ADLs.txt',
    ]);
  });

  it('throws INVALID_ARGUMENT for an unknown time zone', () => {
    expect(() =>
      readDataSet(`ordonez:${join(DATA, 'adl/ordonez-a')}`, { timeZone: 'Mars/Olympus' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
