export { startAuto, type StartOptions, type AutoMeter } from './start.js';
export { VARIABLES, readSettings, presetPackageName, type Variable, type Settings, type Refusal } from './variables.js';
export { appFolders, installedPresetPackages, resolveFromApp } from './presets.js';
