import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface ProcessFacts {
  pid: number;
  /** The parent's pid (-1 when it cannot be told). */
  ppid: number;
  /** The command line, arguments separated by spaces ('' when it cannot be read). */
  command: string;
}

/**
 * What the system says about a live process, or null when there is none (a zombie, exited but not
 * yet reaped by its new parent, counts as none). /proc on Linux, `ps` elsewhere.
 */
export function processFacts(pid: number): ProcessFacts | null {
  if (!Number.isInteger(pid) || pid <= 0 || !signalReaches(pid)) return null;
  return existsSync('/proc/self/stat') ? fromProc(pid) : fromPs(pid);
}

export function isRunning(pid: number): boolean {
  return processFacts(pid) !== null;
}

function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fromProc(pid: number): ProcessFacts | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return null;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      // another user's process may hide its command line; the pid and parent are enough
    }
    return { pid, ppid: Number(ppid), command };
  } catch {
    return null; // gone between the signal check and the read
  }
}

function fromPs(pid: number): ProcessFacts | null {
  try {
    const line = execFileSync('ps', ['-o', 'ppid=,stat=,command=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 5_000,
    }).trim();
    const match = /^(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) return null;
    if (match[2].startsWith('Z')) return null;
    return { pid, ppid: Number(match[1]), command: match[3] };
  } catch {
    return { pid, ppid: -1, command: '' }; // no ps: it exists, nothing more is known
  }
}
