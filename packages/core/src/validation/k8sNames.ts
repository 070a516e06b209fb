// The name and value syntaxes of k8s.io/apimachinery/pkg/util/validation, as the API server checks
// them. Each check returns what is wrong, for a person, or nothing when the value is fine.
// Bounded work: every regular expression here is linear (no nested quantifiers), and a value far
// longer than its limit gets only the length message, without being scanned or split.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PORT_NAME = /^[-a-z0-9]+$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
/** A qualified name: a DNS subdomain prefix, '/', and a name part of at most 63 characters. */
export const QUALIFIED_NAME_MAX = DNS1123_SUBDOMAIN_MAX + 1 + 63;

/** Beyond this the syntax is not checked: the length message alone says what to fix. */
const syntaxChecked = (value: string, max: number): boolean => value.length <= 4 * max;

export function dns1123Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errors.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (syntaxChecked(value, DNS1123_LABEL_MAX) && !DNS1123_LABEL.test(value)) {
    errors.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name')",
    );
  }
  return errors;
}

export function dns1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (syntaxChecked(value, DNS1123_SUBDOMAIN_MAX) && !DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return errors;
}

/** A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 characters. */
export function qualifiedName(value: string): string[] {
  if (!syntaxChecked(value, QUALIFIED_NAME_MAX)) {
    return [`must be no more than ${QUALIFIED_NAME_MAX} characters: an optional DNS subdomain prefix of at most ${DNS1123_SUBDOMAIN_MAX}, '/', and a name part of at most 63`];
  }
  const parts = value.split('/');
  let name: string;
  const errors: string[] = [];
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc'), with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    errors.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')",
    );
  }
  return errors;
}

export function labelValue(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (syntaxChecked(value, 63) && !LABEL_VALUE.test(value)) {
    errors.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')",
    );
  }
  return errors;
}

export function envVarName(value: string): string[] {
  return ENV_VAR_NAME.test(value)
    ? []
    : ["a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name' or 'MY_ENV.NAME')"];
}

export function configMapKey(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (syntaxChecked(value, DNS1123_SUBDOMAIN_MAX) && !CONFIG_MAP_KEY.test(value)) errors.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name')");
  if (value === '.' || value === '..' || value.startsWith('..')) errors.push("must not be '.' or '..', nor start with '..'");
  return errors;
}

/** An IANA service name, as a container port name: at most 15 characters, at least one letter. */
export function portName(value: string): string[] {
  if (!syntaxChecked(value, 15)) return ['must be no more than 15 characters'];
  const errors: string[] = [];
  if (value.length > 15) errors.push('must be no more than 15 characters');
  if (!PORT_NAME.test(value)) errors.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (value.includes('--')) errors.push("must not contain consecutive hyphens");
  if (/[a-z]/.test(value) === false) errors.push('must contain at least one letter (a-z)');
  if (value.startsWith('-') || value.endsWith('-')) errors.push('must not begin or end with a hyphen');
  return errors;
}

export const isPortNumber = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;

export const isNonNegativeInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
