import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

export interface ProcMemory {
  /** VmSize: the virtual memory the process has mapped, in bytes. */
  readonly virtual: number;
  /** VmData + VmStk: data segment, heap and the main thread's stack, in bytes. */
  readonly dataAndStack: number;
}

/** statm counts pages; the page size is read once, from VmSize in kilobytes against the same count. */
export function pageSizeFrom(statusText: string, statmText: string): number | undefined {
  const kilobytes = /^VmSize:\s+(\d+) kB$/m.exec(statusText)?.[1];
  const pages = Number(statmText.split(' ')[0]);
  if (kilobytes === undefined || !(pages > 0)) return undefined;
  // Both reads come a moment apart; a power of two absorbs a mapping made in between.
  return 2 ** Math.round(Math.log2((Number(kilobytes) * 1024) / pages));
}

export function parseStatm(text: string, pageSize: number): ProcMemory | undefined {
  const fields = text.split(' ');
  const size = Number(fields[0]);
  const data = Number(fields[5]);
  return Number.isNaN(size) || Number.isNaN(data) ? undefined : { virtual: size * pageSize, dataAndStack: data * pageSize };
}

/**
 * /proc/self/statm, kept open while someone reads it: a read at offset 0 of an open procfs
 * file regenerates it, several times cheaper than /proc/self/status opened each time
 * (bench/runtime-costs.bench.js prints both: `/proc/self/statm, kept open`, `/proc/self/status, opened each time`).
 */
export class ProcStatmFile {
  private fd: number | undefined;
  private pageSize: number | undefined;
  private readonly buffer = Buffer.alloc(256);

  /**
   * Reads the file, keeping it open for the next read when `keepOpen`, else closing it (a read
   * after the last reader has gone, such as a render still in flight, leaves no descriptor).
   * Undefined when the page size cannot be known; throws what the runtime throws where there is
   * no /proc (not Linux) or it may not be read (Deno without --allow-all).
   */
  read(keepOpen: boolean): ProcMemory | undefined {
    const fd = this.fd ?? openSync('/proc/self/statm', 'r');
    try {
      const text = this.buffer.toString('latin1', 0, readSync(fd, this.buffer, 0, this.buffer.length, 0));
      this.pageSize ??= pageSizeFrom(readFileSync('/proc/self/status', 'latin1'), text);
      return this.pageSize === undefined ? undefined : parseStatm(text, this.pageSize);
    } finally {
      if (keepOpen) this.fd = fd;
      else this.close(fd);
    }
  }

  close(fd = this.fd): void {
    if (fd === undefined) return;
    closeSync(fd);
    if (fd === this.fd) this.fd = undefined;
  }
}
