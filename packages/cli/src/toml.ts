// The little TOML `runometer telegraf` writes: strings, booleans, arrays of strings, tables.
type TomlValue = string | boolean | readonly string[];

/** A basic string: JSON's escapes are all TOML escapes too. */
const tomlString = (text: string) => JSON.stringify(text);

export const tomlKey = (key: string) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key));

export function tomlValue(value: TomlValue): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return tomlString(value);
  // A fleet's URLs one per line, so that a diff shows the instance added or removed.
  if (value.length > 1) return `[\n${value.map((item) => `    ${tomlString(item)},\n`).join('')}  ]`;
  return `[${value.map(tomlString).join('')}]`;
}

/** `key = value` lines, indented as Telegraf's sample configuration is; undefined values are left out. */
export function tomlLines(entries: Readonly<Record<string, TomlValue | undefined>>): string {
  return Object.entries(entries)
    .filter((entry): entry is [string, TomlValue] => entry[1] !== undefined)
    .map(([key, value]) => `  ${tomlKey(key)} = ${tomlValue(value)}\n`)
    .join('');
}
