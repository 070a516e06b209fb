// The pull policy Kubernetes gives a container without one (SetDefaults_Container): Always for an
// image tagged `latest` or not tagged at all, IfNotPresent otherwise, and IfNotPresent for a
// reference that does not parse (validation reports it).

const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

const IMAGE_REFERENCE_MAX = 1024;

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits a container image reference the way the container runtime does; undefined when it is invalid. */
export function parseImageReference(image: string): ImageReference | undefined {
  // A name of at most 255, a tag of at most 128 and a digest: anything far longer is no reference.
  if (image.length > IMAGE_REFERENCE_MAX) return undefined;
  const match = REFERENCE.exec(image);
  if (!match || match[1]!.length > 255) return undefined;
  const [, name, tag, digest] = match as unknown as [string, string, string | undefined, string | undefined];
  return { name, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  const reference = parseImageReference(image ?? '');
  if (!reference) return 'IfNotPresent';
  const tag = reference.tag ?? (reference.digest ? '' : 'latest');
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
