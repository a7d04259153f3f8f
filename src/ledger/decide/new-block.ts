import type { Rejection } from '../rejections';
import { MAX_BALANCE_CREDITS } from '../limits';
import { epochMs, isoAt } from '../instants';
import type { Situation } from './situation';
import { assertUnusedId } from './fresh-id';

/**
 * Bounds shared by purchases and grants: a block must not be born expired, and totals must stay
 * exact integers. Returns the rejection, or null when the block may be created.
 */
export function newBlockRejection(
  { state, view, nowMs }: Situation,
  block: { blockId: string; credits: number; expiresAt?: string },
): Rejection | null {
  assertUnusedId(state.blocks, block.blockId, 'block');
  if (block.expiresAt !== undefined && !(epochMs(block.expiresAt) > nowMs)) {
    return { code: 'invalid_expiry', expiresAt: block.expiresAt };
  }
  if (view.balance + block.credits > MAX_BALANCE_CREDITS) {
    return { code: 'balance_limit', limit: MAX_BALANCE_CREDITS };
  }
  return null;
}

/** One spelling of each instant in the stream, whatever offset the caller used. */
export function canonicalExpiry(expiresAt: string | undefined): { expiresAt?: string } {
  return expiresAt === undefined ? {} : { expiresAt: isoAt(epochMs(expiresAt)) };
}
