import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 1000;

/** Query parameters arrive as strings and are never coerced: each is checked as text first. */
export class EventsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    default: 0,
    description:
      "First revision to return (the stream's first event is 0); pass the previous page's nextRevision",
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:0|[1-9]\d{0,14})$/, { message: 'must be a revision: an integer ≥ 0' })
  fromRevision?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_EVENTS_LIMIT,
    default: DEFAULT_EVENTS_LIMIT,
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]\d{0,2}|1000)$/, {
    message: `must be an integer from 1 to ${MAX_EVENTS_LIMIT}`,
  })
  limit?: string;
}

export class RawEventResponse {
  @ApiProperty({
    type: 'integer',
    description: "Position in the account's stream: 0, 1, 2, … without gaps",
  })
  revision!: number;
  @ApiProperty({
    description: 'Position in the global log (opaque; comparable only by this service)',
  })
  position!: string;
  @ApiProperty({ description: 'The event type, e.g. CreditsSpent' }) type!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event\'s data exactly as stored (LEDGER.md "Events")',
  })
  data!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'As stored: occurredAt, correlationId, causationId?, actor, idempotencyKey?, requestHash?, schemaVersion',
  })
  metadata!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', description: 'When the event store committed it' })
  recordedAt!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
}

export class EventsPageResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ type: [RawEventResponse], description: 'In stream order' })
  data!: RawEventResponse[];
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Pass as ?fromRevision= for the next page; null when the end of the stream was reached',
  })
  nextRevision!: number | null;
}
