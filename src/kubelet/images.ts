// Image references as a container runtime reports them: `nginx` is `docker.io/library/nginx:latest`.
import { createHash } from 'node:crypto';

/** The fully qualified form of an image reference (registry, repository, tag or digest). */
export function normalizeImage(image: string): string {
  let ref = image.trim();
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  // A first component with a dot or colon, or `localhost`, is a registry; otherwise the image is on Docker Hub.
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = slash < 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
  const lastSlash = ref.lastIndexOf('/');
  const name = ref.slice(lastSlash + 1);
  if (!name.includes('@') && !name.includes(':')) ref += ':latest';
  return ref;
}

/** The repository of a reference (without tag or digest). */
export function repositoryOf(image: string): string {
  const ref = normalizeImage(image);
  const at = ref.indexOf('@');
  if (at >= 0) return ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash);
  return colon >= 0 ? ref.slice(0, colon) : ref;
}

/** A stable made-up digest reference for an image (`docker.io/library/nginx@sha256:...`). */
export function simulatedImageID(image: string): string {
  const ref = normalizeImage(image);
  const at = ref.indexOf('@');
  if (at >= 0) return ref;
  return `${repositoryOf(ref)}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}
