import { statfsSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import type { PostgresFacts } from './bench-postgres';

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  os: string;
  /** File system of the DATA_DIR: fsync on tmpfs or overlay would not be a disk flush. */
  dataDirFileSystem: string;
  postgresSettings: Record<string, string>;
}

const FILE_SYSTEMS: Record<number, string> = {
  0xef53: 'ext4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
  0x2fc12fc1: 'zfs',
};

export function machineFacts(postgres: PostgresFacts, dataDir: string): MachineFacts {
  const processors = cpus();
  return {
    cpus: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: postgres.version,
    os: `${osType()} ${release()}`,
    dataDirFileSystem: fileSystemOf(dataDir),
    postgresSettings: postgres.settings,
  };
}

function fileSystemOf(path: string): string {
  try {
    const { type } = statfsSync(path);
    return FILE_SYSTEMS[type] ?? `0x${type.toString(16)}`;
  } catch {
    return 'unknown';
  }
}
