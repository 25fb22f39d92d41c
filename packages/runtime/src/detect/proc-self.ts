import { permissionDeniedBy } from '../permissions.js';
import { statSync } from 'node:fs';

/**
 * Whether /proc/self is there to read (Linux). Where the runtime refuses to look (Deno without
 * --allow-all), it is there on Linux: the readers that use it report the refusal and what to grant.
 */
export function hasProcSelf(stat: (path: string) => { isFile(): boolean } = statSync, platform: string = process.platform): boolean {
  try {
    return stat('/proc/self/statm').isFile();
  } catch (error) {
    return permissionDeniedBy(error) !== undefined && platform === 'linux';
  }
}
