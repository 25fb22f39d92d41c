import fc from 'fast-check';

// Properties explore new inputs on every run of `npm test`; CI fixes the seed (FC_SEED in
// .ci/run) so that a counterexample found by chance cannot stop a change that has nothing to do
// with it from landing. A failure prints its seed and path: FC_SEED=<seed> npm test replays it.
if (process.env.FC_SEED !== undefined) {
  const seed = Number(process.env.FC_SEED);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be a whole number, got "${process.env.FC_SEED}"`);
  fc.configureGlobal({ seed });
}

export default fc;
