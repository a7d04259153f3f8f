import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class Money {
  @ApiProperty({ type: 'integer' }) minor!: number;
  @ApiProperty() currency!: string;
}

/** PRODUCT.md §1: what a priced spend or hold paid for, as recorded on its event. */
export class OperationRecordResponse {
  @ApiProperty({ example: 'video-export' }) operationId!: string;
  @ApiProperty({ type: 'integer', example: 90 }) quantity!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { resolution: '4k' },
  })
  dimensions!: Record<string, string>;
  @ApiProperty({ type: 'integer', description: 'The rate card version that priced it' })
  rateCardVersion!: number;
}

export class BlockResponse {
  @ApiProperty() blockId!: string;
  @ApiProperty({ enum: ['paid', 'promotional'] }) category!: string;
  @ApiProperty({
    enum: ['purchase', 'grant', 'subscription', 'rollover', 'transfer', 'gift'],
    description: 'Where the credits came from',
  })
  source!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: 'integer' }) remaining!: number;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiPropertyOptional({ type: Money }) costBasis?: Money;
}

export class BalanceResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ type: 'integer' }) balance!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: [BlockResponse] }) blocks!: BlockResponse[];
  @ApiProperty({
    type: 'integer',
    description: 'Stream revision; -1 for an account with no events',
  })
  revision!: number;
  @ApiProperty({
    description:
      "Available is below the account's low-balance line: its highest absolute alert threshold (PUT …/alerts), by default LOW_BALANCE_THRESHOLD",
  })
  lowBalance!: boolean;
}

export class CheckResponse {
  @ApiProperty() sufficient!: boolean;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) balance!: number;
}

/** Fields every write answer carries. */
export class WriteResponse {
  @ApiProperty({ type: 'integer' }) balance!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: 'integer', description: "The account's stream revision after the write" })
  revision!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Opaque global log position; pass as ?after= to read your write',
  })
  position!: string | null;
}

export class SpendResponse extends WriteResponse {
  @ApiProperty() spendId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiPropertyOptional({
    type: OperationRecordResponse,
    description: 'What it paid for, when priced by operation or quote',
  })
  operation?: OperationRecordResponse;
  @ApiPropertyOptional({ description: 'The quote it paid' }) quoteId?: string;
}

export class RefundResponse extends WriteResponse {
  @ApiProperty() refundId!: string;
  @ApiProperty() spendId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
}

export class GrantResponse extends WriteResponse {
  @ApiProperty() blockId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
}

export class AdjustmentResponse extends WriteResponse {
  @ApiProperty() adjustmentId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
}

export class PurchaseResponse extends WriteResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty() purchaseId!: string;
  @ApiProperty() blockId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: 'integer', description: "What was paid, in the currency's minor unit" })
  amountPaid!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
}

export class ReservationResponse extends WriteResponse {
  @ApiProperty() reservationId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({
    type: OperationRecordResponse,
    description: 'What it paid for, when priced by operation or quote',
  })
  operation?: OperationRecordResponse;
  @ApiPropertyOptional({ description: 'The quote it paid' }) quoteId?: string;
}

export class CaptureResponse extends WriteResponse {
  @ApiProperty() reservationId!: string;
  @ApiProperty() spendId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: 'integer', description: 'Held credits given back' }) released!: number;
  @ApiPropertyOptional({
    type: OperationRecordResponse,
    description: 'What it paid for, when priced by operation or quote',
  })
  operation?: OperationRecordResponse;
}

export class ReleaseResponse extends WriteResponse {
  @ApiProperty() reservationId!: string;
  @ApiProperty({ type: 'integer' }) released!: number;
}

class AppliedMultiplierResponse {
  @ApiProperty({ example: 'resolution' }) dimension!: string;
  @ApiProperty({ example: '4k' }) value!: string;
  @ApiProperty({ example: 2.5 }) factor!: number;
}

/** How a price came about (src/pricing/rate-card/price.ts). */
export class PriceBreakdownResponse {
  @ApiProperty() operationId!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer' }) unitSize!: number;
  @ApiProperty({ type: 'integer', description: 'ceil(quantity / unitSize)' }) units!: number;
  @ApiProperty({ type: 'integer' }) base!: number;
  @ApiProperty({ type: 'integer' }) perUnit!: number;
  @ApiProperty({ type: 'integer' }) minimum!: number;
  @ApiProperty({ type: 'integer', description: 'max(minimum, base + perUnit × units)' })
  subtotal!: number;
  @ApiProperty({ type: [AppliedMultiplierResponse] }) multipliers!: AppliedMultiplierResponse[];
  @ApiProperty({ type: 'integer', description: 'subtotal × Π factors, rounded up' })
  credits!: number;
}

export class QuoteResponse {
  @ApiProperty({ description: 'Pass as quoteId to a spend or reservation: pays exactly this once' })
  quoteId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: PriceBreakdownResponse }) breakdown!: PriceBreakdownResponse;
  @ApiProperty({ type: 'integer' }) rateCardVersion!: number;
  @ApiProperty({ format: 'date-time', description: 'After this, paying it is 409 quote_expired' })
  expiresAt!: string;
  @ApiProperty({ type: 'integer', description: 'Available now (strongly consistent)' })
  available!: number;
  @ApiProperty({
    description: "Enough available now for the credits and for the operation's minimumAvailable",
  })
  sufficient!: boolean;
  @ApiProperty({
    type: 'integer',
    description:
      'The balance after the quoted spend; negative (the shortfall) when it cannot be made',
  })
  balanceAfter!: number;
  @ApiProperty({
    description: 'Available after the quoted spend would be below LOW_BALANCE_THRESHOLD',
  })
  lowBalance!: boolean;
}
