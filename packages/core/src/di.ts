// tsyringe needs the Reflect metadata API before it is evaluated: every import of it goes through here.
import 'reflect-metadata';

export { container, inject, injectable, singleton, Lifecycle, type DependencyContainer, type InjectionToken } from 'tsyringe';
