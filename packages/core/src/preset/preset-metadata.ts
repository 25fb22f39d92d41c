import { METADATA } from './symbol-metadata.js';
import type { FieldOptions, SeriesOptions } from '../model/definitions.js';

export type PresetMember =
  | { readonly kind: 'builder'; readonly method: string | symbol }
  | { readonly kind: 'tag'; readonly method: string | symbol; readonly key: string }
  | { readonly kind: 'field'; readonly method: string | symbol; readonly key: string; readonly options?: FieldOptions }
  | { readonly kind: 'series'; readonly method: string | symbol; readonly name: string; readonly options: SeriesOptions };

/**
 * What the decorators record lives on the class itself, in its standard decorator metadata
 * (`Class[Symbol.metadata]`), under keys every copy of core agrees on: a preset decorated by one
 * copy of core is read alike by another, and a class compiled either way extends one compiled the other.
 */
export type ClassMetadata = Record<PropertyKey, unknown>;

const MEMBERS = Symbol.for('@runometer/core:members');
const PRESET_NAME = Symbol.for('@runometer/core:preset-name');

/**
 * The class's own metadata object. Standard decorators are handed it (`context.metadata`); for
 * legacy ones it is created here as the standard emit does, inheriting the base class's.
 */
export function ownMetadataOf(presetClass: Function): ClassMetadata {
  if (Object.hasOwn(presetClass, METADATA)) return (presetClass as unknown as Record<symbol, ClassMetadata>)[METADATA]!;
  const base: unknown = Object.getPrototypeOf(presetClass);
  const inherited = typeof base === 'function' ? (base as unknown as Record<symbol, ClassMetadata | undefined>)[METADATA] : undefined;
  const metadata: ClassMetadata = Object.create(inherited ?? null);
  Object.defineProperty(presetClass, METADATA, { value: metadata, writable: true, enumerable: true, configurable: true });
  return metadata;
}

export function addOwnMember(metadata: ClassMetadata, member: PresetMember): void {
  if (!Object.hasOwn(metadata, MEMBERS)) metadata[MEMBERS] = [];
  (metadata[MEMBERS] as PresetMember[]).push(member);
}

function ownMembersIn(metadata: ClassMetadata | undefined): readonly PresetMember[] {
  return metadata !== undefined && Object.hasOwn(metadata, MEMBERS) ? (metadata[MEMBERS] as PresetMember[]) : [];
}

function definedMetadataOf(presetClass: Function): ClassMetadata | undefined {
  return Object.hasOwn(presetClass, METADATA) ? (presetClass as unknown as Record<symbol, ClassMetadata>)[METADATA] : undefined;
}

/**
 * Members declared by the class and the classes it extends, base class first. `ownMetadata` is the
 * class's own when it is not on the class yet: a standard class decorator runs before the emit sets it.
 */
export function presetMembers(presetClass: Function, ownMetadata = definedMetadataOf(presetClass)): PresetMember[] {
  const bases: Function[] = [];
  for (let c = Object.getPrototypeOf(presetClass); typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c))
    bases.unshift(c);
  return [...bases.flatMap((base) => ownMembersIn(definedMetadataOf(base))), ...ownMembersIn(ownMetadata)];
}

/** The name `@preset` gave the class; a subclass that is not decorated itself has none. */
export function presetName(presetClass: Function): string | undefined {
  const metadata = definedMetadataOf(presetClass);
  return metadata !== undefined && Object.hasOwn(metadata, PRESET_NAME) ? (metadata[PRESET_NAME] as string) : undefined;
}

export function setPresetName(metadata: ClassMetadata, name: string): void {
  metadata[PRESET_NAME] = name;
}
