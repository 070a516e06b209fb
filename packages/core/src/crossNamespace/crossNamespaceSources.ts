// Every `NAMESPACE/NAME` reference in a SidecarSet's volumes: configMap.name, secret.secretName and
// the configMap / secret sources of a projected volume, each with the volume it is in and its field.
import type { SidecarSet, Volume } from '@sidecarset/api';
import { splitSourceRef, type CrossNamespaceSource, type SourceKind } from './source.js';

export interface SourceReference {
  source: CrossNamespaceSource;
  /** The SidecarSet volume's name. */
  volume: string;
  /** Field path of the reference, e.g. `spec.volumes[0].configMap.name`. */
  path: string;
}

interface NameField {
  kind: SourceKind;
  /** Path below the volume, e.g. `configMap.name`. */
  field: string;
  value: unknown;
}

/** The name fields of one volume that may hold a source, in field order. */
function nameFields(volume: Volume): NameField[] {
  const fields: NameField[] = [];
  if (volume.configMap) fields.push({ kind: 'ConfigMap', field: 'configMap.name', value: volume.configMap.name });
  if (volume.secret) fields.push({ kind: 'Secret', field: 'secret.secretName', value: volume.secret.secretName });
  const sources = volume.projected?.sources;
  if (Array.isArray(sources)) {
    sources.forEach((projection, j) => {
      if (projection?.configMap) fields.push({ kind: 'ConfigMap', field: `projected.sources[${j}].configMap.name`, value: projection.configMap.name });
      if (projection?.secret) fields.push({ kind: 'Secret', field: `projected.sources[${j}].secret.name`, value: projection.secret.name });
    });
  }
  return fields;
}

/** The references of one volume found at `path` (e.g. `spec.volumes[0]`). */
export function volumeSources(volume: Volume, path: string): SourceReference[] {
  const references: SourceReference[] = [];
  for (const { kind, field, value } of nameFields(volume)) {
    if (typeof value !== 'string') continue;
    const split = splitSourceRef(value);
    if (split) references.push({ source: { kind, ...split }, volume: volume.name, path: `${path}.${field}` });
  }
  return references;
}

/** Every reference in spec.volumes, in volume and field order (a source used twice is listed twice). */
export function crossNamespaceSources(sidecarSet: SidecarSet): SourceReference[] {
  const volumes = sidecarSet.spec?.volumes;
  if (!Array.isArray(volumes)) return [];
  return volumes.flatMap((volume, index) => (volume && typeof volume === 'object' ? volumeSources(volume, `spec.volumes[${index}]`) : []));
}
