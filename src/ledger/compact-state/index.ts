/**
 * How an account's state stays small (docs/performance.md: RSS ≤ 300 MB with 100,000 cached
 * states), without ever being anything but the fold of its events. The rest of the domain writes
 * the state's maps and spends through this interface only:
 * - a new state's maps are one shared, frozen, empty object until first written (putInState),
 *   and every entry added or removed (removeFromState) is counted in `keyedRecords`; what most
 *   accounts never have lives in `state.extras`, shared the same way until written (ownExtras);
 * - the state remembers the most recently touched spends and forgets older ones (rememberSpend,
 *   refundFromSpend), or all of them when the account cache finds it idle (forgetAllSpends);
 * - a refund of a forgotten spend decides on a copy recalled from the stream for its batch,
 *   given to decide beside the state (RecalledSpends).
 */
export {
  cloneLedgerState,
  EMPTY_EXTRAS,
  emptyRecords,
  ownExtras,
  putInState,
  RECORD_FIELDS,
  recordsOf,
  removeFromState,
  type RecordField,
} from './shared-empty-records';
export { forgetAllSpends, refundFromSpend, rememberSpend } from './recent-spends';
export {
  foldIntoRecalled,
  refundableSpend,
  refundTargets,
  spendIdsToLookUp,
  type RecalledSpend,
  type RecalledSpends,
  type RecalledSpendsView,
} from './recalled-spends';
