import { problem, validationProblem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import {
  NoPaymentMethodError,
  PlanCatalogConflictError,
  PlanExistsError,
  SubscriptionNotFoundError,
  SubscriptionRequestInvalidError,
} from './errors';

/** The subscriptions feature's errors as problems (registered by SubscriptionsModule). */
export const SUBSCRIPTION_PROBLEMS: ProblemMappings = [
  mapError(SubscriptionRequestInvalidError, (error) => validationProblem(error.fields)),
  mapError(PlanExistsError, (error) =>
    problem('plan_exists', `A plan ${error.planId} already exists: use PUT to change it`, {
      planId: error.planId,
    }),
  ),
  mapError(PlanCatalogConflictError, (error) =>
    problem(
      'concurrency_conflict',
      `The plan catalog kept changing under ${error.attempts} attempts; try again`,
    ),
  ),
  mapError(SubscriptionNotFoundError, (error) =>
    problem('not_found', `Account ${error.accountId} has no subscription`),
  ),
  mapError(NoPaymentMethodError, (error) =>
    problem(
      'no_payment_method',
      `Account ${error.accountId} has no payment method saved for auto top-up: buy a pack once with saveForAutoTopUp: true`,
    ),
  ),
];
