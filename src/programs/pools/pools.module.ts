import { Module } from '@nestjs/common';
import { MembersController } from './http/members.controller';

/**
 * Organization pools (PRODUCT.md §3, docs/programs.md "Organization pools"): the members routes.
 * Members, limits and usage are the org account's own events and state, decided by the ledger
 * (src/ledger/decide/pool-members.ts, member-spend.ts); the commands and the members query are the
 * accounts feature's (its mailbox and state), reached through the command and query buses.
 */
@Module({ controllers: [MembersController] })
export class PoolsModule {}
