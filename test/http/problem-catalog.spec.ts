import { EventStoreUnavailableError } from '../../src/event-store/event-store.port';
import { problem } from '../../src/http/errors/problem';
import { ProblemCatalog } from '../../src/http/errors/problem-catalog';
import { mapError } from '../../src/http/errors/problem-mapping';
import { StripeEventProcessingError } from '../../src/payments/errors';
import { PAYMENT_PROBLEMS } from '../../src/payments/payment-problems';
import { EVENT_STORE_PROBLEMS } from '../../src/platform/event-store-problems';

class FeatureError extends Error {}
class SpecialFeatureError extends FeatureError {}

/** Each module registers its errors; the catalog knows none of them by itself. */
describe('ProblemCatalog', () => {
  it('an error no module registered is a bare 500, whatever its message', () => {
    const catalog = new ProblemCatalog();
    expect(catalog.responseFor(new FeatureError('SELECT secret FROM keys')).problem).toEqual(
      problem('internal_error', 'An unexpected error occurred; it has been logged'),
    );
  });

  it('maps a registered class and its subclasses; a subclass may have its own mapping', () => {
    const catalog = new ProblemCatalog();
    catalog.register([mapError(FeatureError, () => problem('not_found', 'feature'))]);
    expect(catalog.responseFor(new SpecialFeatureError()).problem.detail).toBe('feature');
    catalog.register([mapError(SpecialFeatureError, () => problem('forbidden', 'special'))]);
    expect(catalog.responseFor(new SpecialFeatureError()).problem.detail).toBe('special');
    expect(catalog.responseFor(new FeatureError()).problem.detail).toBe('feature');
  });

  it('the same registration twice is harmless; two mappings for one class are a bug', () => {
    const catalog = new ProblemCatalog();
    const mappings = [mapError(FeatureError, () => problem('not_found', 'feature'))];
    catalog.register(mappings);
    expect(() => catalog.register(mappings)).not.toThrow();
    expect(() =>
      catalog.register([mapError(FeatureError, () => problem('not_found', 'other'))]),
    ).toThrow(/FeatureError is mapped to a problem twice/);
  });

  it('a wrapping error asks the catalog whether its cause is transient', () => {
    const catalog = new ProblemCatalog();
    catalog.register(PAYMENT_PROBLEMS);
    const failed = new StripeEventProcessingError(
      'evt_1',
      'charge.refunded',
      new EventStoreUnavailableError('down'),
    );
    // Until the event store's owner declares its error transient, it is just an error.
    expect(catalog.responseFor(failed).problem.status).toBe(500);
    catalog.register(EVENT_STORE_PROBLEMS);
    expect(catalog.responseFor(failed).problem.status).toBe(503);
  });
});
