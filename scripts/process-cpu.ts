/**
 * CPU time of a process and all its descendants, from Linux's /proc (proc(5): /proc/<pid>/stat
 * fields 14–17, utime, stime, cutime, cstime, in clock ticks). For the benchmark: a browser's
 * CPU per page load is steadier than its wall-clock time on a busy machine. Undefined elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of /proc's times: 100 on every architecture Debian ships. */
const TICKS_PER_SECOND = 100;

export function processTreeCpuMs(root: number): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // The command name (field 2) is in parentheses and may hold spaces: fields count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(pid)]);
    ticks.set(
      Number(pid),
      [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0),
    );
  }
  if (!ticks.has(root)) return undefined;
  let total = 0;
  const visit = (pid: number): void => {
    total += ticks.get(pid) ?? 0;
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return (total * 1000) / TICKS_PER_SECOND;
}
