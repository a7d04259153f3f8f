import { useId, useState } from 'react';
import { signIn, type ConsoleClient } from './api';
import { ErrorMessage, submitHandler } from './kit';

/**
 * Sign-in with an admin or finance API key. The key is checked by calling the service (a bad key
 * is refused with the service's reason) and then kept only in the tab's memory: a reload signs out.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (client: ConsoleClient) => void }) {
  const [key, setKey] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const id = useId();
  const submit = submitHandler(async () => {
    setPending(true);
    setError(undefined);
    try {
      const client = await signIn(key.trim());
      setKey('');
      onSignedIn(client);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  });
  return (
    <main className="c-main">
      <section className="c-card c-login">
        <h1>Credits console</h1>
        <p className="c-muted">
          Sign in with an API key that has the <code>admin</code> or the <code>finance</code> scope.
          The key stays in this tab&apos;s memory only: reloading the page signs you out.
        </p>
        <form
          className="c-form c-stack"
          data-testid="console-login"
          aria-label="Sign in"
          onSubmit={submit}
        >
          <div className="c-field">
            <label htmlFor={id}>API key</label>
            <input
              id={id}
              name="apiKey"
              type="password"
              autoComplete="off"
              required
              autoFocus
              value={key}
              onChange={(event) => setKey(event.target.value)}
            />
          </div>
          <button type="submit" disabled={pending}>
            {pending ? 'Checking…' : 'Sign in'}
          </button>
          <ErrorMessage error={error} />
        </form>
      </section>
    </main>
  );
}
