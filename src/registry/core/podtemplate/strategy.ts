// The PodTemplate strategy (pkg/registry/core/podtemplate/strategy.go): template defaults, validation, generation.
import type { PodTemplate, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { column, nameColumn } from '../../printing.js';
import { as, coreInfo, firstGeneration, formatLabels, list, nameIsDNSSubdomain, type CoreStrategy } from '../shared/index.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../pod/index.js';

/** The PodTemplate strategy. */
export const podTemplateStrategy: CoreStrategy = {
  info: coreInfo('PodTemplate'),
  schemaName: 'io.k8s.api.core.v1.PodTemplate',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  // The template is a struct in Go: it is always there, so its defaults always apply.
  defaults: (obj) => defaultPodTemplateSpec(((obj as { template?: PodTemplateSpec }).template ??= {})),
  prepareForCreate: firstGeneration,
  validate: (obj) => validatePodTemplateSpec(as<PodTemplate>(obj).template ?? {}, 'template'),
  printer: {
    columns: [
      nameColumn,
      column('Containers', { description: 'Names of each container in the template.' }),
      column('Images', { description: 'Images referenced by each container in the template.' }),
      column('Pod Labels', { description: 'The labels for the pod template.' }),
    ],
    row(obj) {
      const t = as<PodTemplate>(obj).template;
      const cs = list(t?.spec?.containers);
      return [obj.metadata?.name ?? '', cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), formatLabels(t?.metadata?.labels)];
    },
  },
};
