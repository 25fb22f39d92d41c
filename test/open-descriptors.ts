import { readdirSync, readlinkSync } from 'node:fs';

/** How many descriptors this process holds on files whose path `matches` (Linux). */
export function openDescriptors(matches: (path: string) => boolean): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return matches(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false; // the descriptor readdir read through, closed since
    }
  }).length;
}
