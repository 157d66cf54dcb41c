// kubectl's columns for RBAC objects: roles show when they were created, bindings their role and subjects.
import type { RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../api/index.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import type { Printer } from '../strategy.js';

/** Name and Created At (an RFC 3339 time, not an age). */
export const rolePrinter: Printer = {
  columns: [nameColumn, column('Created At', { type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' })],
  row: (obj) => {
    const t = obj.metadata?.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : NaN;
    return [obj.metadata?.name ?? '', Number.isNaN(t) ? '0001-01-01T00:00:00Z' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')];
  },
};

/** rbac.SubjectsStrings: users, groups and `namespace:name` service accounts. */
export function subjectsStrings(subjects: readonly Subject[] | undefined): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${s.namespace ?? ''}:${s.name}`);
    else if (s.kind === 'User') out.users.push(s.name);
    else if (s.kind === 'Group') out.groups.push(s.name);
  }
  return out;
}

/** Name, Role, Age, and the subjects with -o wide. */
export const bindingPrinter: Printer = {
  columns: [
    nameColumn,
    column('Role', { description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.' }),
    ageColumn,
    column('Users', { priority: 1, description: 'Users in the roleBinding' }),
    column('Groups', { priority: 1, description: 'Groups in the roleBinding' }),
    column('ServiceAccounts', { priority: 1, description: 'ServiceAccounts in the roleBinding' }),
  ],
  row(obj: KubeObject, ctx) {
    const ref = (obj.roleRef ?? {}) as Partial<RoleRef>;
    const s = subjectsStrings(obj.subjects as Subject[] | undefined);
    return [obj.metadata?.name ?? '', `${ref.kind ?? ''}/${ref.name ?? ''}`, age(obj.metadata?.creationTimestamp, ctx.now), s.users.join(', '), s.groups.join(', '), s.serviceAccounts.join(', ')];
  },
};
