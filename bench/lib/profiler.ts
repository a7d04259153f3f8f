import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/database/project-root';

/**
 * `--profile`: V8's sampling CPU profiler around the timed phases of this process (the app runs
 * in it). Writes bench/results/profiles/<phase>.cpuprofile (open in Chrome DevTools or speedscope) and
 * keeps a summary: self time by function and by area (our src/, projections/, pg, Nest, …).
 * Profiling slows everything down: a profiled run's figures are not comparable to others.
 */
export interface ProfileSummary {
  file: string;
  sampledMs: number;
  /** Share of samples by area of the code (self time). */
  byArea: Array<{ area: string; pct: number }>;
  /** The functions with the most self time. */
  topFunctions: Array<{ fn: string; pct: number }>;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export class Profiler {
  private session: Session | null = null;
  readonly summaries: Record<string, ProfileSummary> = {};

  constructor(private readonly outDir: string) {}

  async around<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (!this.session) {
      this.session = new Session();
      this.session.connect();
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    await this.session.post('Profiler.start');
    try {
      return await work();
    } finally {
      const { profile } = (await this.session.post('Profiler.stop')) as unknown as {
        profile: CpuProfile;
      };
      const file = join(this.outDir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      this.summaries[name] = summarize(profile, file);
    }
  }

  /** Where the profile of `name` is written (also by a child process: default-start). */
  fileFor(name: string): string {
    return join(this.outDir, `${name}.cpuprofile`);
  }

  /** Summarizes a profile another process wrote (bench/children/profile-on-signal.ts). */
  addFile(name: string, file: string): void {
    try {
      this.summaries[name] = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file);
    } catch {
      // No profile (the child did not write it): the scenario has none.
    }
  }

  async close(): Promise<void> {
    if (this.session) {
      await this.session.post('Profiler.disable').catch(() => undefined);
      this.session.disconnect();
    }
  }
}

function summarize(profile: CpuProfile, file: string): ProfileSummary {
  const root = projectRoot();
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url, root);
    const key =
      `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    const area = areaOf(functionName, url, root);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const pct = (hits: number) => Math.round((hits / Math.max(1, total)) * 1000) / 10;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    file: relative(root, file),
    sampledMs: Math.round((profile.endTime - profile.startTime) / 1000),
    byArea: sorted(byArea).map(([area, hits]) => ({ area, pct: pct(hits) })),
    topFunctions: sorted(byFunction)
      .slice(0, 15)
      .map(([fn, hits]) => ({ fn, pct: pct(hits) })),
  };
}

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  return path.startsWith(root) ? relative(root, path) : path;
}

function areaOf(functionName: string, url: string, root: string): string {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8/native (program)';
  if (!url) return 'native/builtins';
  if (url.startsWith('node:')) return 'node internals';
  const path = shortUrl(url, root);
  const nodeModule = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path);
  if (nodeModule) return nodeModule[1];
  if (path.startsWith('dist/src/')) return `src/${path.split('/')[2]}`;
  if (path.startsWith('dist/projections/')) return 'projections';
  if (path.startsWith('dist/bench/')) return 'bench harness';
  return path;
}

export function profilerFor(enabled: boolean): Profiler | null {
  return enabled ? new Profiler(join(projectRoot(), 'bench', 'results', 'profiles')) : null;
}
