import { Query } from '@nestjs/cqrs';
import type { WidgetsConfigResponse } from './widgets-config.dto';

/** What a browser running the credit widgets needs to know about this service (public values only). */
export class GetWidgetsConfig extends Query<WidgetsConfigResponse> {}
