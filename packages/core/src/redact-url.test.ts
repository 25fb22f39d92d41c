import { describe, expect, test } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  test.each([
    ['http://127.0.0.1:8086/write?db=x', 'http://127.0.0.1:8086/write?db=x'],
    ['ftp://admin:PW@influx.example/', 'ftp://***@influx.example/'],
    ['http://admin@influx.example/write', 'http://***@influx.example/write'],
    ['http://a:b@c@influx.example:8086', 'http://***@influx.example:8086'],
    ['http://influx.example/write?db=x&u=admin&p=PW', 'http://influx.example/write?db=x&u=admin&p=***'],
    [
      'http://influx.example/?token=T&Api_Key=K&password=P&sig=S&access_token=A&x=1',
      'http://influx.example/?token=***&Api_Key=***&password=***&sig=***&access_token=***&x=1',
    ],
    ['http://influx.example/path@x?q=1', 'http://influx.example/path@x?q=1'],
    ['not a url: u:p@ and ?p=1', 'not a url: u:p@ and ?p=***'],
    ['http://x/#access_token=A&state=s', 'http://x/#access_token=***&state=s'],
  ])('%j → %j', (text, redacted) => {
    expect(redactUrl(text)).toBe(redacted);
  });
});
