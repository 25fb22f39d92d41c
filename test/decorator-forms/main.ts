// Prints the decorator form the preset was compiled with, then its render, with the app's name injected.
import { container, Runometer } from '@runometer/core';
import { APP_NAME, decoratorForm } from './visits-preset.js';

container.register(APP_NAME, { useValue: 'shop' });
const meter = new Runometer('app').use('visits');
console.log(`${decoratorForm}\n${(await meter.render()).trimEnd()}`);
await meter.close();
