// Kubernetes protobuf request bodies (kubectl >= 1.32 typed clients), decoded into the JSON objects kin works on.
export { decodeProtobuf, isProtobuf, protobufRegistry, PROTOBUF_MAGIC, PROTOBUF_MEDIA_TYPE, type DecodedProtobuf } from './decode.js';
export { messageForKind, protobufKinds } from './kinds.js';
