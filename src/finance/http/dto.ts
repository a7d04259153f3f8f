import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IsInstant } from '../../http/validation/ledger-validators';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';

export class AuditQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Fold only the events that occurred at or before this instant (as balance?at=)',
  })
  @IsOptional()
  @IsInstant()
  at?: string;
}

export class VerifyRequest {
  @ApiPropertyOptional({
    maxLength: 128,
    description:
      'Verify this account only; without it, every account (at most 10,000, else 422 verify_too_large)',
  })
  @IsOptional()
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, {
    message: 'must be an account id (1–128 characters of A–Z a–z 0–9 . _ : @ -)',
  })
  accountId?: string;
}

class ActorResponse {
  @ApiProperty({ enum: ['apiKey', 'stripe', 'system', 'admin'] }) kind!: string;
  @ApiProperty({ description: 'The API key name, or the system process' }) id!: string;
}

export class AuditTimelineEntryResponse {
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ nullable: true, type: String }) eventId!: string | null;
  @ApiProperty({ nullable: true, type: String }) position!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ description: 'The event type, e.g. CreditsAdjusted' }) type!: string;
  @ApiProperty({
    type: 'integer',
    description: 'Change of the balance: + in, − out, 0 for holds',
  })
  change!: number;
  @ApiProperty({ type: 'integer' }) balance!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ description: 'One human line: ids, amounts, blocks, reasons' }) summary!: string;
  @ApiProperty({ type: ActorResponse, nullable: true, description: 'Who wrote the event' })
  actor!: ActorResponse | null;
}

class AuditClosingResponse {
  @ApiProperty({ type: 'integer' }) balance!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: 'integer', description: 'The last revision folded (-1: none)' })
  revision!: number;
}

class CreditsOutResponse {
  @ApiProperty({ type: 'integer', description: 'Spends and captures: usage' }) spent!: number;
  @ApiProperty({ type: 'integer', description: "Admins' adjustments down: never usage" })
  adjusted!: number;
  @ApiProperty({ type: 'integer' }) expired!: number;
  @ApiProperty({ type: 'integer' }) reversed!: number;
  @ApiProperty({ type: 'integer' }) giftEscrow!: number;
  @ApiProperty({ type: 'integer' }) transferred!: number;
}

class AuditSummaryResponse {
  @ApiProperty({ type: 'integer' }) events!: number;
  @ApiProperty({ type: 'integer' }) creditsIn!: number;
  @ApiProperty({ type: 'integer' }) creditsOut!: number;
  @ApiProperty({ type: CreditsOutResponse }) out!: CreditsOutResponse;
  @ApiProperty({ type: 'integer' }) violations!: number;
  @ApiProperty({ type: 'integer' }) warnings!: number;
}

class AuditLotResponse {
  @ApiProperty() blockId!: string;
  @ApiProperty({ enum: ['paid', 'promotional'] }) category!: string;
  @ApiProperty({ enum: ['purchase', 'grant', 'subscription', 'rollover', 'transfer', 'gift'] })
  source!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: 'integer' }) remaining!: number;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty() expired!: boolean;
}

class AuditHoldResponse {
  @ApiProperty() reservationId!: string;
  @ApiProperty({ type: 'integer', description: 'Still held (0 once closed)' }) credits!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ enum: ['open', 'captured', 'released', 'expired'] }) status!: string;
}

class ViolationResponse {
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: the stream as a whole' })
  revision!: number | null;
  @ApiProperty({ description: 'The rule broken (docs/audit.md)' }) rule!: string;
  @ApiProperty() message!: string;
}

class WarningResponse {
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() message!: string;
}

/** `ledger audit --format json`, as the API answers it. */
export class AuditReportResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) at!: string | null;
  @ApiProperty({ type: AuditSummaryResponse }) summary!: AuditSummaryResponse;
  @ApiProperty({ type: AuditClosingResponse }) closing!: AuditClosingResponse;
  @ApiProperty({ type: 'integer' }) creditsIn!: number;
  @ApiProperty({ type: 'integer' }) creditsOut!: number;
  @ApiProperty({ type: [AuditLotResponse], description: 'Every block, with its source' })
  lots!: AuditLotResponse[];
  @ApiProperty({ type: [AuditHoldResponse] }) holds!: AuditHoldResponse[];
  @ApiProperty({ type: [ViolationResponse] }) violations!: ViolationResponse[];
  @ApiProperty({ type: [WarningResponse] }) warnings!: WarningResponse[];
  @ApiProperty({ type: [AuditTimelineEntryResponse] }) timeline!: AuditTimelineEntryResponse[];
}

class VerifyDifferenceResponse {
  @ApiProperty({ description: 'The account, or * for a ledger-wide analytics table' })
  accountId!: string;
  @ApiProperty({ enum: ['accounts', 'transactions', 'holds', 'analytics'] }) readModel!: string;
  @ApiProperty({ description: 'What differs: balance, block b1 remaining, …' }) field!: string;
  @ApiProperty({ description: 'What the streams say' }) expected!: unknown;
  @ApiProperty({ description: 'What the read model holds' }) actual!: unknown;
}

export class VerifyResponse {
  @ApiProperty({ type: 'integer' }) accounts!: number;
  @ApiProperty({ type: 'integer' }) events!: number;
  @ApiProperty({ type: [VerifyDifferenceResponse] }) differences!: VerifyDifferenceResponse[];
  @ApiProperty({ type: 'integer' }) tookMs!: number;
}
