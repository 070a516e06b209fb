// Following `continue` tokens until the list is complete, kept apart from HTTP so it can be tested
// with a plain function standing in for the server.

export interface ListPage<T> {
  items: T[];
  /** Set when the server has more; pass it back to get the next page. */
  continue?: string;
  /** The list's resourceVersion: start a watch here to see every change after this list. */
  resourceVersion: string;
}

export type FetchPage<T> = (continueToken: string | undefined) => Promise<ListPage<T>>;

/**
 * Fetches every page and joins the items. The resourceVersion is the first page's: all pages of one
 * paginated list are a snapshot at that version. Errors from `fetchPage` propagate unchanged (a 410
 * here means the continue token expired; callers relist from the start).
 */
export async function collectAllPages<T>(fetchPage: FetchPage<T>): Promise<{ items: T[]; resourceVersion: string }> {
  const items: T[] = [];
  let resourceVersion: string | undefined;
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    resourceVersion ??= page.resourceVersion;
    token = page.continue || undefined;
  } while (token !== undefined);
  return { items, resourceVersion: resourceVersion ?? '' };
}
