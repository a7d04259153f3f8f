import { useCallback, useEffect, useState } from 'react';
import type { TransactionRow } from '../client/types';
import { useCreditsContext } from '../credits-context';

/** History is a projection, a moment behind the balance: ask again this often, this many times. */
const CATCH_UP_RETRY_MS = 400;
const CATCH_UP_MAX_RETRIES = 10;

export interface CreditHistory {
  /** The rows of the current page, newest first. */
  rows: TransactionRow[];
  /** 1 for the newest page. */
  page: number;
  hasNext: boolean;
  hasPrevious: boolean;
  loading: boolean;
  error: Error | null;
  next: () => void;
  previous: () => void;
  reload: () => void;
}

/**
 * The account's transactions a page at a time (API.md: newest first, cursor-paginated). The first
 * page follows the balance: a purchase or spend shows up in it without a reload.
 */
export function useCreditHistory({ pageSize = 20 }: { pageSize?: number } = {}): CreditHistory {
  const { client, balance } = useCreditsContext();
  // cursors[i] opens page i + 1; the first page has none.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [rows, setRows] = useState<TransactionRow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const [reloads, setReloads] = useState(0);
  const cursor = cursors[cursors.length - 1];
  const onFirstPage = cursors.length === 1;
  // A new balance revision refreshes the newest page only: older pages do not change.
  const revision = onFirstPage ? (balance?.revision ?? -1) : 0;

  useEffect(() => {
    let current = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setLoading(true);
    const load = (attempt: number) =>
      client.transactions(pageSize, cursor).then(
        (page) => {
          if (!current) return;
          setRows(page.data);
          setNextCursor(page.nextCursor);
          setError(null);
          setLoading(false);
          const newest = page.data[0]?.revision ?? -1;
          if (onFirstPage && newest < revision && attempt < CATCH_UP_MAX_RETRIES)
            retry = setTimeout(() => void load(attempt + 1), CATCH_UP_RETRY_MS);
        },
        (failure: Error) => {
          if (!current) return;
          setError(failure);
          setLoading(false);
        },
      );
    void load(0);
    return () => {
      current = false;
      clearTimeout(retry);
    };
  }, [client, pageSize, cursor, onFirstPage, revision, reloads]);

  useEffect(() => setCursors([undefined]), [client]);

  return {
    rows,
    page: cursors.length,
    hasNext: nextCursor !== null,
    hasPrevious: !onFirstPage,
    loading,
    error,
    next: useCallback(() => {
      if (nextCursor !== null) setCursors((list) => [...list, nextCursor]);
    }, [nextCursor]),
    previous: useCallback(
      () => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list)),
      [],
    ),
    reload: useCallback(() => setReloads((count) => count + 1), []),
  };
}
