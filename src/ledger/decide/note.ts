/**
 * An operator's reason as an event records it: `note` only when one was given, so events written
 * without one keep exactly their old shape (and old events read the same).
 */
export function noteOf(command: { note?: string }): { note?: string } {
  return command.note === undefined ? {} : { note: command.note };
}
