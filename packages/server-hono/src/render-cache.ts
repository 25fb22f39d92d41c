import type { Format, Snapshot } from '@runometer/core';
import { setImmediate } from 'node:timers';

/** A format's text (or bytes, for a binary format) of one render, with its length in bytes for `Content-Length`. */
export interface Body {
  readonly content: string | Uint8Array<ArrayBuffer>;
  readonly bytes: number;
}

export interface RenderCacheOptions {
  /** A render is reused for this many milliseconds after it ended; 0 renders for every scrape. */
  readonly minRenderInterval: number;
  /** A monotonic clock in milliseconds. */
  readonly now: () => number;
}

interface Render {
  readonly collected: Snapshot | readonly Snapshot[];
  readonly endedAt: number;
  readonly bodies: Map<Format, Body>;
}

const encoder = new TextEncoder();

function bodyOf(render: Render, format: Format): Body {
  let body = render.bodies.get(format);
  if (body === undefined) {
    const content = format.render(render.collected);
    const bytes = typeof content === 'string' ? encoder.encode(content).length : content.length;
    render.bodies.set(format, (body = { content, bytes }));
  }
  return body;
}

/**
 * Renders of `collect` shared between scrapes. A render is reused until `minRenderInterval` ms
 * after it ended, so a flood of scrapes costs at most one render per interval; while it is
 * fresh the body is returned synchronously. Scrapes that arrive while a render is in flight
 * share it. A failed render is not kept: the scrapes that shared it reject, the next one renders.
 * Each format's text is made once per render, when first asked for.
 */
export function renderCache(
  collect: () => Promise<Snapshot | readonly Snapshot[]>,
  { minRenderInterval, now }: RenderCacheOptions,
): (format: Format) => Body | Promise<Body> {
  let latest: Render | undefined;
  let inFlight: Promise<Render> | undefined;

  // With no interval to share, scrapes share what they can: the render of this turn of the
  // event loop, which starts on the next turn so that every request read in this one joins it.
  const start = minRenderInterval === 0 ? () => new Promise<void>((resolve) => setImmediate(resolve)).then(collect) : collect;

  const render = () =>
    (inFlight ??= start()
      .then((collected) => (latest = { collected, endedAt: now(), bodies: new Map() }))
      .finally(() => {
        inFlight = undefined;
      }));

  return (format) => {
    if (latest !== undefined && now() - latest.endedAt < minRenderInterval) return bodyOf(latest, format);
    return render().then((fresh) => bodyOf(fresh, format));
  };
}
