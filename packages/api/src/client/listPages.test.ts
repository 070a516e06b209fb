import { describe, expect, it } from 'vitest';
import { GoneError } from './errors.js';
import { collectAllPages, type ListPage } from './listPages.js';
import { failureStatus } from './toKubernetesApiError.js';

/** Serves pages keyed by the continue token that asks for them ('' = first page). */
function pagesByToken(pages: Record<string, ListPage<string>>) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (token: string | undefined) => {
    asked.push(token);
    const page = pages[token ?? ''];
    if (!page) throw new Error(`no page for ${token}`);
    return page;
  };
  return { fetchPage, asked };
}

describe('collectAllPages', () => {
  const cases: { name: string; pages: Record<string, ListPage<string>>; items: string[]; resourceVersion: string; asked: (string | undefined)[] }[] = [
    {
      name: 'a single page needs one request',
      pages: { '': { items: ['a', 'b'], resourceVersion: '7' } },
      items: ['a', 'b'],
      resourceVersion: '7',
      asked: [undefined],
    },
    {
      name: 'follows continue tokens to the last page and keeps the order',
      pages: {
        '': { items: ['a', 'b'], continue: 't1', resourceVersion: '7' },
        t1: { items: ['c', 'd'], continue: 't2', resourceVersion: '7' },
        t2: { items: ['e'], resourceVersion: '7' },
      },
      items: ['a', 'b', 'c', 'd', 'e'],
      resourceVersion: '7',
      asked: [undefined, 't1', 't2'],
    },
    {
      name: "the first page's version is the snapshot's version",
      pages: {
        '': { items: ['a'], continue: 't1', resourceVersion: '7' },
        t1: { items: ['b'], resourceVersion: '9' },
      },
      items: ['a', 'b'],
      resourceVersion: '7',
      asked: [undefined, 't1'],
    },
    {
      name: 'an empty continue token ends the list',
      pages: { '': { items: [], continue: '', resourceVersion: '3' } },
      items: [],
      resourceVersion: '3',
      asked: [undefined],
    },
  ];

  it.each(cases)('$name', async ({ pages, items, resourceVersion, asked }) => {
    const source = pagesByToken(pages);
    expect(await collectAllPages(source.fetchPage)).toEqual({ items, resourceVersion });
    expect(source.asked).toEqual(asked);
  });

  it('passes on a 410 from an expired continue token, for the caller to relist', async () => {
    const expired = new GoneError(failureStatus(410, 'The provided continue parameter is too old', 'Expired'));
    const fetchPage = async (token: string | undefined): Promise<ListPage<string>> => {
      if (token === undefined) return { items: ['a'], continue: 'old', resourceVersion: '1' };
      throw expired;
    };
    await expect(collectAllPages(fetchPage)).rejects.toBe(expired);
  });
});
