// PersistentVolumes.
export { persistentVolumeStrategy, accessModesString, validateAccessModes, defaultPersistentVolume } from './strategy.js';
