import { ApiKeyAuthenticator, hasScope } from '../../src/http/auth/api-key-authenticator';

describe('ApiKeyAuthenticator', () => {
  const authenticator = new ApiKeyAuthenticator([
    { name: 'svc', secret: 'service-secret', scopes: ['read', 'spend'] },
    { name: 'ops', secret: 'admin-secret', scopes: ['admin'] },
  ]);

  it('finds the key a secret belongs to', () => {
    expect(authenticator.authenticate('service-secret')).toEqual({
      name: 'svc',
      scopes: ['read', 'spend'],
    });
    expect(authenticator.authenticate('admin-secret')?.name).toBe('ops');
  });

  it('refuses unknown, empty, prefix and longer secrets', () => {
    for (const candidate of ['nope', '', 'service-secre', 'service-secret-and-more']) {
      expect(authenticator.authenticate(candidate)).toBeNull();
    }
  });

  it('lets admin imply every scope', () => {
    expect(hasScope({ name: 'ops', scopes: ['admin'] }, 'finance')).toBe(true);
    expect(hasScope({ name: 'svc', scopes: ['read', 'spend'] }, 'grant')).toBe(false);
  });

  it('is open only without keys', () => {
    expect(new ApiKeyAuthenticator([]).isOpen).toBe(true);
    expect(authenticator.isOpen).toBe(false);
  });
});
