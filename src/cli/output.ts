/**
 * The executable's stdout and stderr: each text written whole and synchronously to its file
 * descriptor, so nothing is pending when the run ends with process.exit (bin.ts).
 * A descriptor left non-blocking by whoever gave it to us can refuse a write for a while (EAGAIN):
 * the rest is written a millisecond later. When the reader has gone (EPIPE: `ctlens … | head`),
 * the run ends at once with 141, as a process killed by SIGPIPE would (128 + 13), which is what
 * shells expect; Node itself ignores SIGPIPE.
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE') process.exit(141);
      else throw e;
    }
  }
}
