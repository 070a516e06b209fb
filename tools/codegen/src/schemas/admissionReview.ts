// admission.k8s.io/v1 AdmissionReview is not served as a REST resource, so it is absent from the
// Kubernetes OpenAPI documents; this source follows k8s.io/api/admission/v1 field for field.
import { bool, def, k8s, list, object, oneOfStrings, str, stringMap, type SourceSchema } from '../schemaSource.ts';

const groupVersionKind = object({ group: str('API group.'), version: str('API version.'), kind: str('Kind.') }, 'A kind.', ['group', 'version', 'kind']);
const groupVersionResource = object(
  { group: str('API group.'), version: str('API version.'), resource: str('Resource.') },
  'A resource.',
  ['group', 'version', 'resource'],
);
const anyObject: SourceSchema = { description: 'An embedded object.', tsType: 'unknown' };

export const admissionDefinitions: Record<string, SourceSchema> = {
  AdmissionRequest: {
    ...object(
      {
        uid: str('Identifies this admission call; echoed in the response.'),
        kind: groupVersionKind,
        resource: groupVersionResource,
        subResource: str('Subresource, if any.'),
        requestKind: groupVersionKind,
        requestResource: groupVersionResource,
        requestSubResource: str('Subresource as requested.'),
        name: str('Name of the object; empty on CREATE when generateName is used.'),
        namespace: str('Namespace of the object.'),
        operation: oneOfStrings(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'], 'The operation.'),
        userInfo: k8s('io.k8s.api.authentication.v1.UserInfo', 'Who made the request.'),
        object: anyObject,
        oldObject: anyObject,
        dryRun: bool('True when the request will not be persisted.'),
        options: anyObject,
      },
      'The request of an admission call.',
      ['uid', 'kind', 'resource', 'operation', 'userInfo'],
    ),
    title: 'AdmissionRequest',
  },
  AdmissionResponse: {
    ...object(
      {
        uid: str('The request uid.'),
        allowed: bool('Whether the request is admitted.'),
        status: k8s('io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'Why a request was refused.'),
        patch: str('Base64 of an RFC 6902 JSON Patch.'),
        patchType: oneOfStrings(['JSONPatch'], 'The type of patch.'),
        auditAnnotations: stringMap('Annotations added to the audit event.'),
        warnings: list({ type: 'string' }, 'Warnings shown to the client.'),
      },
      'The response of an admission call.',
      ['uid', 'allowed'],
    ),
    title: 'AdmissionResponse',
  },
};

export const admissionReview: SourceSchema = {
  ...object(
    {
      apiVersion: str('admission.k8s.io/v1'),
      kind: str('AdmissionReview'),
      request: def('AdmissionRequest'),
      response: def('AdmissionResponse'),
    },
    'AdmissionReview: an admission request and its response.',
  ),
  title: 'AdmissionReview',
};
