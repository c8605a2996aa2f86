/**
 * The progress line on a terminal's stderr while logs are read: logs behind, entries behind, the
 * rate and an estimate of the time left, redrawn at most every 250 ms and erased when done.
 * Only for a terminal, and never with --json. Log names never appear in it (only counts).
 */
import { escapeControls } from '../terminal.js';

const REDRAW_MS = 250;

const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export class Progress {
  private readonly logs = new Map<string, { size: number; target: number }>();
  private readonly started = Date.now();
  private startSizes = new Map<string, number>();
  private drawnAt = 0;
  private shown = false;

  constructor(private readonly write: ((text: string) => void) | undefined) {}

  update(logId: string, size: number, target: number): void {
    if (!this.write) return;
    if (!this.startSizes.has(logId)) this.startSizes.set(logId, size);
    this.logs.set(logId, { size, target });
    const now = Date.now();
    if (now - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = now;
    let behind = 0;
    let read = 0;
    let logsBehind = 0;
    for (const [id, { size: s, target: t }] of this.logs) {
      behind += t - s;
      read += s - (this.startSizes.get(id) ?? s);
      if (t > s) logsBehind++;
    }
    const rate = read / Math.max(0.001, (now - this.started) / 1000);
    const logs = `${logsBehind} log${logsBehind === 1 ? '' : 's'}`;
    const line =
      `ctlens monitor: ${logs} behind by ${thousands(behind)} entries,` +
      ` ${thousands(rate)} entries/s, about ${duration(behind / rate)} left`;
    this.write(`\r\u001b[K${escapeControls(line)}`);
    this.shown = true;
  }

  /** Erases the line. */
  done(): void {
    if (this.shown) this.write?.('\r\u001b[K');
    this.shown = false;
    this.logs.clear();
    this.startSizes = new Map();
  }
}
