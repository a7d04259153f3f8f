import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { FundGiftCodes } from '../../../accounts/commands';
import type { CallerContext } from '../../../accounts/write-path/caller-context';
import { LedgerRejectedError } from '../../../accounts/write-path/errors';
import type { GiftCodesFunded } from '../../../ledger/events';
import { giftParts, type GiftPart } from '../../../ledger/programs/gift-parts';
import { Clock } from '../../../shared/clock';
import { GiftCodeExpiryInvalidError } from '../errors';
import { canonicalGiftCode, giftCodeHash, newGiftCode } from '../gift-code-text';
import { GiftCodeStore, type NewGiftCode } from '../gift-code-store';

export interface MintedGiftCode {
  code: string;
  credits: number;
  expiresAt: string | null;
}

export interface MintedGiftCodes {
  mintId: string;
  fundedBy: string | null;
  data: MintedGiftCode[];
}

/** Mint `count` codes worth `credits` each: promotional, or funded by an account (escrow). */
export class MintGiftCodes extends Command<MintedGiftCodes> {
  constructor(
    readonly credits: number,
    readonly count: number,
    readonly expiresAt: string | undefined,
    readonly fundedBy: string | undefined,
    readonly context: CallerContext,
  ) {
    super();
  }
}

/**
 * A funded mint in three steps: its codes are written `pending` (never redeemable), the escrow is
 * taken from the funder (one ledger command, all or nothing), then the codes get their parts and
 * become `active`. A refused escrow discards the codes. A crash between the escrow and the last
 * step leaves the codes pending: nobody ever saw them (the answer was never sent), and their
 * credits stay in escrow (docs/programs.md "Gift codes", what an operator does then).
 */
@CommandHandler(MintGiftCodes)
export class MintGiftCodesHandler implements ICommandHandler<MintGiftCodes, MintedGiftCodes> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly store: GiftCodeStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: MintGiftCodes): Promise<MintedGiftCodes> {
    const now = this.clock.now();
    const expiresAt = command.expiresAt === undefined ? null : new Date(command.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime())
      throw new GiftCodeExpiryInvalidError(command.expiresAt!);
    const mintId = `mint_${randomUUID()}`;
    const codes = Array.from({ length: command.count }, () => {
      const code = newGiftCode();
      return { code, codeHash: giftCodeHash(canonicalGiftCode(code)!) };
    });
    const mint = {
      mintId,
      credits: command.credits,
      fundedBy: command.fundedBy ?? null,
      createdAt: now.toISOString(),
    };
    const codeExpiry = expiresAt?.toISOString() ?? null;

    if (command.fundedBy === undefined) {
      const parts: GiftPart[] = [
        { credits: command.credits, category: 'promotional', expiresAt: null },
      ];
      const rows = codes.map(({ codeHash }) => ({ codeHash, parts, expiresAt: codeExpiry }));
      await this.store.insert(mint, rows, 'active');
      return answer(mintId, null, codes, command.credits, rows);
    }

    await this.store.insert(
      mint,
      codes.map(({ codeHash }) => ({ codeHash, parts: null, expiresAt: codeExpiry })),
      'pending',
    );
    let funded: GiftCodesFunded;
    try {
      const outcome = await this.commandBus.execute(
        new FundGiftCodes(
          command.fundedBy,
          {
            kind: 'fund-gift-codes',
            mintId,
            creditsPerCode: command.credits,
            count: command.count,
          },
          command.context,
        ),
      );
      funded = outcome.events.find(
        (event): event is GiftCodesFunded => event.type === 'GiftCodesFunded',
      )!;
    } catch (error) {
      if (error instanceof LedgerRejectedError) await this.store.discard(mintId);
      throw error;
    }
    const perCode = giftParts(funded.data.drawdown, command.credits, command.count);
    const rows = codes.map(({ codeHash }, index) => ({
      codeHash,
      parts: perCode[index],
      expiresAt: earliest(codeExpiry, perCode[index]),
    }));
    await this.store.activate(mintId, rows);
    return answer(mintId, command.fundedBy, codes, command.credits, rows);
  }
}

/** A code never outlives its credits: its expiry is at most its parts' earliest. */
function earliest(codeExpiry: string | null, parts: readonly GiftPart[]): string | null {
  const instants = [codeExpiry, ...parts.map((part) => part.expiresAt)]
    .filter((instant): instant is string => instant !== null)
    .map((instant) => Date.parse(instant));
  return instants.length === 0 ? null : new Date(Math.min(...instants)).toISOString();
}

function answer(
  mintId: string,
  fundedBy: string | null,
  codes: readonly { code: string }[],
  credits: number,
  rows: readonly NewGiftCode[],
): MintedGiftCodes {
  return {
    mintId,
    fundedBy,
    data: codes.map(({ code }, index) => ({ code, credits, expiresAt: rows[index].expiresAt })),
  };
}
