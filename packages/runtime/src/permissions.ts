import { PermissionDeniedError } from '@runometer/core';

// Deno: `NotCapable` (2.x) or `PermissionDenied` (1.x), with a message that names the access,
// the resource and the flag, e.g. `Requires read access to "/proc/self/fd", run again with the
// --allow-read flag`. Since 1.43 Deno gives /proc to --allow-all alone: --allow-read=/proc/self/fd
// only changes the refusal to `Requires all access to "/proc/self/fd", … --allow-all`.
const DENO_REFUSAL = /^Requires (\w+) access to "(.*)", run again with the (--allow-[\w-]+) flag/;
const ALL_ACCESS_ONLY = /^\/proc(\/|$)/;
// Node's permission model (--permission, --experimental-permission on Node 20).
const NODE_GRANTS: Record<string, { readonly action: string; readonly grant: (resource: string) => string }> = {
  FileSystemRead: { action: 'read', grant: (resource) => `--allow-fs-read=${resource}` },
  FileSystemWrite: { action: 'write', grant: (resource) => `--allow-fs-write=${resource}` },
  ChildProcess: { action: 'start', grant: () => '--allow-child-process' },
  Worker: { action: 'start', grant: () => '--allow-worker' },
};
const DENO_ACTIONS: Record<string, string> = { sys: 'read system information', all: 'read' };

interface RefusalShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  permission?: unknown;
  resource?: unknown;
}

/**
 * The runtime's refusal of a permission as a `PermissionDeniedError` that says what to grant, or
 * undefined when `error` is anything else. Told by what the error is, not by which runtime this is.
 */
export function permissionDeniedBy(error: unknown): PermissionDeniedError | undefined {
  try {
    if (typeof error !== 'object' || error === null) return undefined;
    const { name, message, code, permission, resource } = error as RefusalShape;
    if ((name === 'NotCapable' || name === 'PermissionDenied') && typeof message === 'string') {
      const refusal = DENO_REFUSAL.exec(message);
      if (refusal === null) return undefined;
      const [, access, what, flag] = refusal as unknown as [string, string, string, string];
      const grant = flag === '--allow-all' || ALL_ACCESS_ONLY.test(what) ? '--allow-all' : `${flag}=${what}`;
      return new PermissionDeniedError(`${DENO_ACTIONS[access] ?? access} ${what}`, grant, { cause: error });
    }
    if (code === 'ERR_ACCESS_DENIED' && typeof permission === 'string') {
      const target = typeof resource === 'string' ? resource : permission;
      const known = NODE_GRANTS[permission];
      if (known === undefined) return new PermissionDeniedError(`use ${target}`, `the ${permission} permission`, { cause: error });
      return new PermissionDeniedError(`${known.action} ${target}`, known.grant(target), { cause: error });
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * A reading the runtime may refuse: `read()`'s value; undefined where it fails for any other
 * reason (no /proc, say). A refusal is thrown as a `PermissionDeniedError`, and remembered: later
 * calls throw it again at once, without asking the runtime (a refusal stays for the process' life).
 */
export function readingOrDenied<T>(read: () => T | undefined): () => T | undefined {
  let denied: PermissionDeniedError | undefined;
  return () => {
    if (denied !== undefined) throw denied;
    try {
      return read();
    } catch (error) {
      denied = permissionDeniedBy(error);
      if (denied !== undefined) throw denied;
      return undefined;
    }
  };
}
