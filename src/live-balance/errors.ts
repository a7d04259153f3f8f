/** This process already serves BALANCE_STREAM_MAX_CONNECTIONS balance streams. */
export class BalanceStreamsFullError extends Error {
  constructor(readonly maxConnections: number) {
    super(`${maxConnections} balance streams are open in this process`);
    this.name = 'BalanceStreamsFullError';
  }
}
