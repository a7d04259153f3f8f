import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

/**
 * A full garbage collection now, between phases, so that the garbage of a previous phase (e.g. a
 * closed app's cached states) is not collected inside the next timed window. `npm run bench` runs
 * plain `node`, so --expose-gc is switched on at run time.
 */
export function fullGc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
