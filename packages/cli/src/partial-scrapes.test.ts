import { parseLines } from '@runometer/core/format';
import { describe, expect, it } from 'vitest';
import { partialScrapes } from './partial-scrapes.js';

describe('partialScrapes', () => {
  it('names each gathering line that answered for fewer workers or threads than it asked, and nothing for a whole scrape', () => {
    const body = [
      'm,worker=primary,pid=1 cluster_workers_asked=3i,cluster_workers_answered=1i,cluster_workers_timed_out=1i,cluster_workers_died=1i',
      'm,worker=1,pid=2,thread=main worker_threads_asked=2i,worker_threads_answered=1i,worker_threads_timed_out=0i,worker_threads_exited=1i',
      'm,worker=2,pid=3,thread=main worker_threads_asked=1i,worker_threads_answered=1i,worker_threads_timed_out=0i,worker_threads_exited=0i',
      'm,thread=main worker_threads_asked=0i,worker_threads_answered=0i,worker_threads_timed_out=0i,worker_threads_exited=0i',
      'm rss_bytes=1i',
    ].join('\n');
    expect(partialScrapes(parseLines(`${body}\n`))).toEqual([
      'a partial scrape: worker=primary answered for 1 of 3 cluster workers (1 timed out, 1 died)',
      'a partial scrape: worker=1,thread=main answered for 1 of 2 worker threads (0 timed out, 1 exited)',
    ]);
  });
});
