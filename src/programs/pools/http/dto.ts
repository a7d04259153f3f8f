import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import type { LimitPeriod } from '../../../ledger/events';
import { IsCredits } from '../../../http/validation/ledger-validators';

const PERIODS: LimitPeriod[] = ['day', 'month'];

export class MemberLimitDto {
  @IsCredits({ description: 'Credits the member may spend per period', example: 500 })
  credits!: number;

  @ApiProperty({ enum: PERIODS, description: 'UTC calendar day or month' })
  @IsIn(PERIODS)
  period!: LimitPeriod;
}

export class SetMemberRequest {
  @ApiPropertyOptional({ type: MemberLimitDto, description: 'No limit when absent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MemberLimitDto)
  limit?: MemberLimitDto;
}

export class PoolMemberResponse {
  @ApiProperty({ example: 'user:alice' }) memberId!: string;
  @ApiProperty({ type: MemberLimitDto, nullable: true }) limit!: MemberLimitDto | null;
  @ApiProperty({ description: 'Credits spent by the member in the current period' })
  used!: number;
  @ApiProperty({ enum: PERIODS, description: "The period `used` counts: the limit's, else month" })
  period!: LimitPeriod;
  @ApiProperty({ format: 'date-time', description: 'First instant of the current period (UTC)' })
  periodStart!: string;
}

export class PoolMembersResponse {
  @ApiProperty({ type: [PoolMemberResponse] }) data!: PoolMemberResponse[];
}
