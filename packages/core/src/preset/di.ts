// tsyringe needs the Reflect metadata API before it is evaluated: every import of it goes through here.
import 'reflect-metadata';
import * as tsyringe from 'tsyringe';

export type { DependencyContainer, InjectionToken } from 'tsyringe';

/**
 * The tsyringe that every copy of core in the process uses: the first copy's. Two copies of core
 * (two versions installed, or a bundle beside node_modules) would otherwise bring two tsyringes,
 * each with its own root container and its own table of injectable classes: a preset decorated
 * through one copy could not be built by a meter of the other, nor see what the app registered in
 * the other's container. Keyed by tsyringe's major version, whose API every copy shares.
 */
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('@runometer/core:tsyringe@4')] ??= {
  container: tsyringe.container,
  inject: tsyringe.inject,
  injectable: tsyringe.injectable,
  singleton: tsyringe.singleton,
  Lifecycle: tsyringe.Lifecycle,
}) as Pick<typeof tsyringe, 'container' | 'inject' | 'injectable' | 'singleton' | 'Lifecycle'>;

export const { container, inject, injectable, singleton, Lifecycle } = shared;
export type Lifecycle = tsyringe.Lifecycle;
