// PersistentVolumeClaims.
export { persistentVolumeClaimStrategy, defaultClaimSpec, validateClaimSpec } from './strategy.js';
