import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../../http/auth/api-key.guard';
import { RequireScope } from '../../../http/auth/scopes.decorator';
import { callerContext } from '../../../http/request-context';
import { AccountRoute, WriteRoute } from '../../../http/route-docs';
import { AccountIdPipe, PathIdPipe } from '../../../http/validation/path-id.pipes';
import { ACCOUNT_ID_PATTERN } from '../../../ledger/limits';
import type { RemoveMemberCommand, SetMemberCommand } from '../../../ledger/commands';
import { RemoveMember, SetMember } from '../../../accounts/commands';
import { GetPoolMembers, type PoolMember } from '../../../accounts/queries/get-pool-members.query';
import { PoolMemberResponse, PoolMembersResponse, SetMemberRequest } from './dto';

const MemberIdPipe = new PathIdPipe(
  'memberId',
  ACCOUNT_ID_PATTERN,
  'must be 1–128 characters of A–Z a–z 0–9 . _ : @ -, and not . or ..',
);
const MEMBER_ID_PARAM = ApiParam({ name: 'memberId', example: 'user:alice' });

/**
 * Organization pools (PRODUCT.md §3, docs/programs.md "Organization pools"): members and their
 * limits are events of the org's own stream, so a spend naming a member is decided with them.
 */
@ApiTags('pools')
@AccountRoute()
@Controller('v1/accounts/:accountId/members')
export class MembersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Put(':memberId')
  @HttpCode(200)
  @RequireScope('admin')
  @WriteRoute()
  @MEMBER_ID_PARAM
  @ApiOperation({
    summary: 'Add a member to the pool, or change its limit (none: no limit)',
    description: 'Usage already counted in the current period is kept when the limit changes.',
  })
  @ApiOkResponse({ type: PoolMemberResponse })
  @ApiResponse({ status: 409, description: 'too_many_members: the pool has 1,000 members' })
  async set(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Param('memberId', MemberIdPipe) memberId: string,
    @Body() body: SetMemberRequest,
    @Req() request: AuthenticatedRequest,
  ): Promise<PoolMemberResponse> {
    const command: SetMemberCommand = {
      kind: 'set-member',
      memberId,
      ...(body.limit && { limit: { credits: body.limit.credits, period: body.limit.period } }),
    };
    const context = callerContext(request, command.kind, accountId, { memberId, ...body });
    await this.commandBus.execute(new SetMember(accountId, command, context));
    const [member] = await this.members(accountId, memberId);
    return memberAnswer(member);
  }

  @Delete(':memberId')
  @HttpCode(204)
  @RequireScope('admin')
  @WriteRoute()
  @MEMBER_ID_PARAM
  @ApiOperation({ summary: 'Remove a member: its later spends are refused (403 not_a_member)' })
  @ApiNoContentResponse({ description: 'Removed, or was not a member' })
  async remove(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Param('memberId', MemberIdPipe) memberId: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<void> {
    const command: RemoveMemberCommand = { kind: 'remove-member', memberId };
    const context = callerContext(request, command.kind, accountId, { memberId });
    await this.commandBus.execute(new RemoveMember(accountId, command, context));
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: "The pool's members, with what each used in the current period" })
  @ApiOkResponse({ type: PoolMembersResponse })
  async list(@Param('accountId', AccountIdPipe) accountId: string): Promise<PoolMembersResponse> {
    return { data: (await this.members(accountId)).map(memberAnswer) };
  }

  private members(accountId: string, memberId?: string): Promise<PoolMember[]> {
    return this.queryBus.execute(new GetPoolMembers(accountId, memberId));
  }
}

function memberAnswer(member: PoolMember | undefined): PoolMemberResponse {
  // Just set: missing only if removed by a concurrent DELETE in between, which then won.
  if (!member) throw new Error('a member set a moment ago is gone');
  return {
    memberId: member.memberId,
    limit: member.limit,
    used: member.used,
    period: member.period,
    periodStart: member.periodStart,
  };
}
