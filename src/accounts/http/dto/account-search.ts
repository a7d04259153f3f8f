import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../../ledger/limits';
import {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_PREFIX,
} from '../../search/search-accounts.query';

/** Query parameters arrive as strings; repeated parameters (arrays) are refused. */
export class AccountSearchQuery {
  @ApiPropertyOptional({
    maxLength: MAX_SEARCH_PREFIX,
    description: 'Only accounts whose id starts with this (matched literally)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SEARCH_PREFIX)
  prefix?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_SEARCH_LIMIT,
    default: DEFAULT_SEARCH_LIMIT,
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]\d?|100)$/, { message: `must be an integer from 1 to ${MAX_SEARCH_LIMIT}` })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (the last accountId)' })
  @IsOptional()
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be an accountId (the nextCursor of a page)' })
  after?: string;
}

export class AccountSummaryResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ type: 'integer' }) balance!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ format: 'date-time', description: "occurredAt of the account's last event" })
  updatedAt!: string;
}

export class AccountSearchPageResponse {
  @ApiProperty({ type: [AccountSummaryResponse] }) data!: AccountSummaryResponse[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `after` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
