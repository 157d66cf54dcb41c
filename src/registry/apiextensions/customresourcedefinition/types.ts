// The shape of a CustomResourceDefinition as kin reads it (only what kin uses is typed).
import type { ObjectMeta } from '../../../api/index.js';

/** An OpenAPI v3 schema node of a CRD (JSONSchemaProps). */
export type JsonSchemaProps = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, JsonSchemaProps>;
  items?: JsonSchemaProps;
};

/** A printer column of a CRD version. */
export interface CrdColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** One version of a CRD. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonSchemaProps };
  subresources?: { status?: Record<string, never>; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: CrdColumn[];
  selectableFields?: { jsonPath: string }[];
}

/** A CustomResourceDefinition. */
export interface Crd {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec: {
    group: string;
    names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
    scope: string;
    versions: CrdVersion[];
    conversion?: { strategy: string; webhook?: unknown };
    preserveUnknownFields?: boolean;
  };
  status?: {
    conditions?: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }[];
    acceptedNames?: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
    storedVersions?: string[];
  };
  [k: string]: unknown;
}
