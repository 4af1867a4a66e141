/** Everything the fault tests share: the environment they break and the probes they watch. */
export * from './fault-env.js';
export * from './run-probes.js';
