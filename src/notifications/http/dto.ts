import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/event-types';

export const MAX_URL_LENGTH = 2_000;
export const MAX_THRESHOLDS = 10;
export const MAX_THRESHOLD_CREDITS = 1_000_000_000_000;

export class CreateWebhookEndpointRequest {
  @ApiProperty({ example: 'https://example.com/webhooks/credits', maxLength: MAX_URL_LENGTH })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url!: string;

  @ApiProperty({
    type: [String],
    enum: WEBHOOK_EVENT_TYPES,
    example: ['credits.purchased', 'balance.low'],
    description: 'The event types this endpoint receives (at least one)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class WebhookEndpointResponse {
  @ApiProperty({ example: 'ep_2b3k…' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) events!: string[];
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When 5 days of failures disabled it (a retry by hand enables it again)',
  })
  disabledAt!: string | null;
}

export class CreatedWebhookEndpointResponse extends WebhookEndpointResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks), shown in this answer only',
  })
  secret!: string;
}

export class WebhookEndpointListResponse {
  @ApiProperty({ type: [WebhookEndpointResponse] }) data!: WebhookEndpointResponse[];
}

export class DeliveryResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The webhook-id receivers see (the same on every attempt)' })
  messageId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: 'integer', nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null unless pending' })
  nextAttemptAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse] }) data!: DeliveryResponse[];
}

export class DeliveriesQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AlertSettingsRequest {
  @ApiPropertyOptional({
    type: [Number],
    example: [100],
    description: 'Absolute thresholds in credits (default: [LOW_BALANCE_THRESHOLD]); [] for none',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_THRESHOLDS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_THRESHOLD_CREDITS, { each: true })
  lowBalance?: number[];

  @ApiPropertyOptional({
    type: [Number],
    example: [20, 10, 5],
    description:
      'Thresholds in percent of the last top-up, 1–100 (default: [20, 10, 5]); [] for none',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_THRESHOLDS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(100, { each: true })
  percentOfLastTopUp?: number[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 365,
    description:
      'credits.expiring this many days before a block expires (default: EXPIRING_NOTICE_DAYS)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiringDays?: number;
}

export class AlertSettingsResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ type: [Number] }) lowBalance!: number[];
  @ApiProperty({ type: [Number] }) percentOfLastTopUp!: number[];
  @ApiProperty({ type: 'integer' }) expiringDays!: number;
}

export class ProfileRequest {
  @ApiPropertyOptional({ example: 'ada@example.com', maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, require_tld: false })
  email?: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class ProfileResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}
