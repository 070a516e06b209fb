import { describe, expect, it } from 'vitest';
import { renderTable } from './renderTable.js';

describe('renderTable', () => {
  it.each<[string, string[], (string | number | boolean | undefined)[][], string]>([
    ['a header alone', ['NAME', 'READY'], [], 'NAME   READY\n'],
    [
      'columns as wide as their widest cell, three spaces apart, no trailing spaces',
      ['NAME', 'MATCHED', 'PAUSED'],
      [
        ['logging-agent', 12, false],
        ['x', 3, true],
      ],
      'NAME            MATCHED   PAUSED\nlogging-agent   12        false\nx               3         true\n',
    ],
    ['a missing value shows as <none>', ['NAME', 'REVISION'], [['a', undefined]], 'NAME   REVISION\na      <none>\n'],
    ['an empty value stays empty', ['POD', 'ACTION', 'REASON'], [['shop/a', 'update', '']], 'POD      ACTION   REASON\nshop/a   update\n'],
  ])('%s', (_name, headers, rows, expected) => {
    expect(renderTable(headers, rows)).toBe(expected);
  });
});
