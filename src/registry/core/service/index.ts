// Services: strategy, printer and the helpers the service allocator and proxies share.
export { serviceStrategy, type ServiceAllocationHook } from './strategy.js';
export { servicePrinter, formatServicePorts, serviceExternalIP } from './printer.js';
export { clusterIPFamilies, isHeadless, needsClusterIP, needsNodePort, needsHealthCheck, externallyAccessible } from './defaults.js';
