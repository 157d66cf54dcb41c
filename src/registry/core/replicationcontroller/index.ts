// ReplicationControllers.
export { replicationControllerStrategy, defaultReplicationController, validateRCSpec } from './strategy.js';
