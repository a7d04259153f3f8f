import { useEffect, useState } from 'react';

/** The console's pages, addressed by hash (`#/accounts/user:42`) so the service serves one file. */
export const PAGES = [
  { id: 'accounts', title: 'Accounts' },
  { id: 'analytics', title: 'Analytics' },
  { id: 'finance', title: 'Finance' },
  { id: 'catalog', title: 'Catalog' },
  { id: 'webhooks', title: 'Webhooks' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export interface Route {
  page: PageId;
  /** What follows the page: an account id on Accounts. */
  rest: string;
}

export function parseRoute(hash: string): Route {
  const [page = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = PAGES.find((candidate) => candidate.id === page);
  return {
    page: known?.id ?? 'accounts',
    rest: known ? decodeSegment(rest.join('/')) : '',
  };
}

export function routeHref(page: PageId, rest = ''): string {
  return `#/${page}${rest === '' ? '' : `/${encodeURIComponent(rest)}`}`;
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => globalThis.location?.hash ?? '');
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return parseRoute(hash);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
