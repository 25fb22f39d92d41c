import { Runometer } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { message, type Message } from './protocol.js';
import { reporter } from './reporter.js';

const ask = message('ask', { id: 7, reporter: null, knownSpecs: 0 });

function transport() {
  const sent: Message[] = [];
  let hellos = 0;
  return { sent, hellos: () => hellos, send: (m: Message) => sent.push(m), hello: () => void hellos++ };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a reporter, whatever its transport', () => {
  test('says hello when it starts and when asked who is there; ignores what is not ours', async () => {
    const wire = transport();
    const reporting = reporter(
      new Runometer('m').addField('f', () => 1),
      wire,
    );
    reporting.start();
    reporting.receive(message('discover', {}));
    for (const foreign of [null, 'ask', { type: 'ask', id: 1 }, { '@runometer/cluster': 2, type: 'ask', id: 1 }])
      reporting.receive(foreign);
    await settled();
    expect([wire.hellos(), wire.sent]).toEqual([2, []]);
  });

  test('a source that fails answers with no lines; a closed reporter answers nothing and says bye once', async () => {
    const wire = transport();
    const meter = new Runometer('m').addField('f', () => 1);
    await meter.close();
    const reporting = reporter(meter, wire);
    reporting.receive(ask);
    await settled();
    expect(wire.sent).toEqual([expect.objectContaining({ type: 'answer', id: 7, specs: [], snapshots: [] })]);
    reporting.stop();
    reporting.stop();
    reporting.receive(ask);
    await settled();
    expect(wire.sent.map((m) => m.type)).toEqual(['answer', 'bye']);
  });

  test('refuses a source that is not one, naming it', () => {
    expect(() => reporter({} as never, transport())).toThrow('source must be a SnapshotSource');
  });
});
