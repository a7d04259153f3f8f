import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  buildMessage,
} from 'class-validator';
import { IsInstant } from '../http/validation/ledger-validators';
import { OperationRecordResponse } from '../accounts/http/dto/responses';
import { TRANSACTION_TYPES, type TransactionType } from '../../projections/ledger/effects';

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 200;

/** One type, or several separated by commas. */
function IsTransactionTypes(): PropertyDecorator {
  return ValidateBy({
    name: 'isTransactionTypes',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        value.split(',').every((type) => (TRANSACTION_TYPES as readonly string[]).includes(type)),
      defaultMessage: buildMessage(
        () => `must be one of ${TRANSACTION_TYPES.join(', ')} (several separated by commas)`,
      ),
    },
  });
}

/** Query parameters arrive as strings; repeated parameters (arrays) are refused. */
export class TransactionsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_HISTORY_LIMIT,
    default: DEFAULT_HISTORY_LIMIT,
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]\d?|1\d\d|200)$/, {
    message: `must be an integer from 1 to ${MAX_HISTORY_LIMIT}`,
  })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({
    description: `Only rows of this type (several separated by commas): ${TRANSACTION_TYPES.join(', ')}`,
  })
  @IsOptional()
  @IsTransactionTypes()
  type?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'occurredAt at or after this instant' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'occurredAt before this instant' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    description: "A write's `position`: wait (bounded) until the history includes it",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

export function parseTypes(raw: string | undefined): TransactionType[] | null {
  return raw === undefined ? null : ([...new Set(raw.split(','))] as TransactionType[]);
}

export class TransactionRowResponse {
  @ApiProperty({ description: 'The event id: unique and stable' }) id!: string;
  @ApiProperty({ enum: TRANSACTION_TYPES }) type!: TransactionType;
  @ApiProperty({
    type: 'integer',
    description: 'Signed change of the balance: + in, − out; 0 for reservation and release',
  })
  credits!: number;
  @ApiProperty({
    type: 'integer',
    description: "Balance after this row: the previous row's balanceAfter + credits",
  })
  balanceAfter!: number;
  @ApiProperty({ type: 'integer' }) availableAfter!: number;
  @ApiProperty({ type: 'integer' }) reservedAfter!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Signed change of reserved: + reservation, − release or capture',
  })
  reservedChange!: number;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'integer', description: "The event's revision in the account stream" })
  revision!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "The caller's metadata (spends)",
  })
  metadata!: Record<string, string>;
  @ApiProperty({
    type: OperationRecordResponse,
    nullable: true,
    description:
      'What a spend, capture or reservation priced by operation (or quote) paid for; null for plain amounts',
  })
  operation!: OperationRecordResponse | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's own data: ids, reasons, drawdown, expiry",
  })
  detail!: Record<string, unknown>;
}

export class TransactionsPageResponse {
  @ApiProperty({ type: [TransactionRowResponse] }) data!: TransactionRowResponse[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}
