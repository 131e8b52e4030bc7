// The environment variable the kernel seeds itself from at every start (the runner's --seed sets
// it). Its own file, free of TF.js, so the runner can import it without loading TF.js.
export const SEED_ENV = 'CONVKAN_SEED';
