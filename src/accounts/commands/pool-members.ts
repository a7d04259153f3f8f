import { CommandHandler } from '@nestjs/cqrs';
import type { RemoveMemberCommand, SetMemberCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Add a member to an organization pool, or change its limit (PRODUCT.md §3). */
export class SetMember extends AccountCommand<SetMemberCommand> {}

@CommandHandler(SetMember)
export class SetMemberHandler extends AccountCommandHandler<SetMember> {}

/** Remove a member from an organization pool. */
export class RemoveMember extends AccountCommand<RemoveMemberCommand> {}

@CommandHandler(RemoveMember)
export class RemoveMemberHandler extends AccountCommandHandler<RemoveMember> {}
