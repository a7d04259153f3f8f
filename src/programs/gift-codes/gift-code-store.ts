import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import { JsonRows } from '../../database/json-rows';
import type { GiftPart } from '../../ledger/programs/gift-parts';

export interface StoredGiftCode {
  codeHash: string;
  mintId: string;
  credits: number;
  parts: GiftPart[] | null;
  fundedBy: string | null;
  status: 'pending' | 'active';
  expiresAt: string | null;
  redeemedBy: string | null;
}

interface GiftCodeRow {
  code_hash: string;
  mint_id: string;
  credits: string;
  parts: GiftPart[] | null;
  funded_by: string | null;
  status: 'pending' | 'active';
  expires_at: Date | null;
  redeemed_by: string | null;
}

export interface NewGiftCode {
  codeHash: string;
  parts: GiftPart[] | null;
  expiresAt: string | null;
}

const CODE_ROWS = new JsonRows<NewGiftCode>(
  'code_hash text, parts jsonb, expires_at timestamptz',
  (code) => [code.codeHash, code.parts, code.expiresAt],
);

/**
 * The `gift_codes` table (migrations/1732253100000_gift-codes.sql): hashes only. A mint writes its
 * codes in one statement (at most 1,000 rows, one JSON parameter).
 */
@Injectable()
export class GiftCodeStore {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async insert(
    mint: { mintId: string; credits: number; fundedBy: string | null; createdAt: string },
    codes: readonly NewGiftCode[],
    status: 'pending' | 'active',
  ): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO gift_codes (code_hash, mint_id, credits, parts, funded_by, status, expires_at, created_at)
       SELECT code_hash, $2, $3, parts, $4, $5, expires_at, $6
       FROM ${CODE_ROWS.from('$1')}`,
      [
        CODE_ROWS.parameter(codes),
        mint.mintId,
        mint.credits,
        mint.fundedBy,
        status,
        mint.createdAt,
      ],
    );
  }

  /** A funded mint's escrow is written: its codes get their parts and become redeemable. */
  async activate(mintId: string, codes: readonly NewGiftCode[]): Promise<void> {
    await this.database.pool.query(
      `UPDATE gift_codes AS g SET parts = r.parts, expires_at = r.expires_at, status = 'active'
       FROM ${CODE_ROWS.from('$1')}
       WHERE g.code_hash = r.code_hash AND g.mint_id = $2`,
      [CODE_ROWS.parameter(codes), mintId],
    );
  }

  /** The escrow was refused (not enough credits): the mint's codes never existed. */
  async discard(mintId: string): Promise<void> {
    await this.database.pool.query(
      `DELETE FROM gift_codes WHERE mint_id = $1 AND status = 'pending'`,
      [mintId],
    );
  }

  async find(codeHash: string): Promise<StoredGiftCode | null> {
    const { rows } = await this.database.pool.query<GiftCodeRow>(
      `SELECT code_hash, mint_id, credits, parts, funded_by, status, expires_at, redeemed_by
       FROM gift_codes WHERE code_hash = $1`,
      [codeHash],
    );
    const [row] = rows;
    if (row === undefined) return null;
    return {
      codeHash: row.code_hash,
      mintId: row.mint_id,
      credits: Number(row.credits),
      parts: row.parts,
      fundedBy: row.funded_by,
      status: row.status,
      expiresAt: row.expires_at?.toISOString() ?? null,
      redeemedBy: row.redeemed_by,
    };
  }

  /** Notes who redeemed it (the ledger's claim is the truth; this answers later tries quickly). */
  async noteRedeemed(codeHash: string, accountId: string, at: Date): Promise<void> {
    await this.database.pool.query(
      `UPDATE gift_codes SET redeemed_by = $2, redeemed_at = $3
       WHERE code_hash = $1 AND redeemed_by IS NULL`,
      [codeHash, accountId, at],
    );
  }
}
