// spec.updateStrategy and spec.injectionStrategy.
import type { FieldError, LabelSelector } from '@sidecarset/api';
import { isEmptySelector } from '../labels/labelSelector.js';
import { validateLabelSelector } from '../labels/validateLabelSelector.js';
import { checkEnum, duplicate, forbidden, invalid, invalidEach, isNonEmptyString, isObject, listAt, required, typeInvalid } from './fieldErrors.js';
import { labelValue, qualifiedName } from './k8sNames.js';
import { validateIntOrPercent } from './intOrPercent.js';

const UPDATE_TYPES = ['RollingUpdate', 'NotUpdate'];
const REVISION_POLICIES = ['Always', 'Partial'];

/** A selector that must be present and select something specific (OpenKruise's validateSelector). */
export function validateRequiredSelector(selector: unknown, path: string, what: string): FieldError[] {
  if (selector === undefined || selector === null) return [required(path, what)];
  const errors = validateLabelSelector(selector as LabelSelector, path);
  if (isObject(selector) && errors.length === 0 && isEmptySelector(selector as LabelSelector)) {
    errors.push(invalid(path, selector, 'an empty selector selects every pod; name the pods with matchLabels or matchExpressions, e.g. matchLabels: {app: nginx}'));
  }
  return errors;
}

/** A partition that holds pods back: any percentage, or a number other than 0. */
const partitionIsSet = (partition: unknown): boolean => typeof partition === 'string' || (typeof partition === 'number' && partition !== 0);

export function validateUpdateStrategy(strategy: unknown, path: string): FieldError[] {
  if (strategy === undefined || strategy === null) return [];
  if (!isObject(strategy)) return [typeInvalid(path, strategy, 'must be an object {type, partition, maxUnavailable, ...}')];
  const errors: FieldError[] = [...checkEnum(`${path}.type`, strategy.type, UPDATE_TYPES)];
  errors.push(...validateIntOrPercent(strategy.partition, `${path}.partition`));
  errors.push(...validateIntOrPercent(strategy.maxUnavailable, `${path}.maxUnavailable`));
  if (strategy.selector !== undefined && strategy.selector !== null) {
    errors.push(...validateRequiredSelector(strategy.selector, `${path}.selector`, ''));
    // As OpenKruise: a canary selector and a partition would both decide which pods wait; use one.
    if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate' && partitionIsSet(strategy.partition)) {
      errors.push(
        forbidden(`${path}.partition`, 'may not be used together with updateStrategy.selector: the selector already picks the canary pods; remove the partition (or the selector)'),
      );
    }
  }
  if (strategy.paused !== undefined && strategy.paused !== null && typeof strategy.paused !== 'boolean') {
    errors.push(typeInvalid(`${path}.paused`, strategy.paused, 'must be true or false'));
  }
  errors.push(...validatePriorityStrategy(strategy.priorityStrategy, `${path}.priorityStrategy`));
  errors.push(...validateScatterStrategy(strategy.scatterStrategy, `${path}.scatterStrategy`));
  return errors;
}

function validatePriorityStrategy(priority: unknown, path: string): FieldError[] {
  if (priority === undefined || priority === null) return [];
  if (!isObject(priority)) return [typeInvalid(path, priority, 'must be an object {weightPriority} or {orderPriority}')];
  const errors: FieldError[] = [];
  const weights = listAt(priority.weightPriority, `${path}.weightPriority`, errors);
  const orders = listAt(priority.orderPriority, `${path}.orderPriority`, errors);
  if (weights.length > 0 && orders.length > 0) {
    errors.push(forbidden(`${path}.orderPriority`, 'only one of weightPriority and orderPriority can be used; remove one of them'));
  }
  weights.forEach((term, index) => {
    const at = `${path}.weightPriority[${index}]`;
    if (!isObject(term)) return void errors.push(typeInvalid(at, term, 'must be an object {weight, matchSelector}'));
    if (!Number.isInteger(term.weight) || (term.weight as number) < 0 || (term.weight as number) > 100) {
      errors.push(invalid(`${at}.weight`, term.weight, 'must be a whole number from 0 to 100'));
    }
    errors.push(...validateRequiredSelector(term.matchSelector, `${at}.matchSelector`, 'the pods this weight applies to are required'));
  });
  orders.forEach((term, index) => {
    const at = `${path}.orderPriority[${index}].orderedKey`;
    const key = isObject(term) ? term.orderedKey : undefined;
    if (!isNonEmptyString(key)) errors.push(required(at, 'the pod label key whose integer value orders the pods is required'));
    else errors.push(...invalidEach(at, key, qualifiedName(key)));
  });
  return errors;
}

function validateScatterStrategy(scatter: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  listAt(scatter, path, errors).forEach((term, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(term)) return void errors.push(typeInvalid(at, term, 'must be an object {key, value}'));
    const { key, value } = term;
    if (!isNonEmptyString(key)) errors.push(required(`${at}.key`, 'the pod label key to scatter on is required'));
    else errors.push(...invalidEach(`${at}.key`, key, qualifiedName(key)));
    // An empty value is a label value (OpenKruise takes it): the pods whose label is "".
    if (typeof value !== 'string') errors.push(required(`${at}.value`, 'the label value is required; "*" scatters over every value present'));
    else if (value !== '*') errors.push(...invalidEach(`${at}.value`, value, labelValue(value)));
    if (isNonEmptyString(key) && typeof value === 'string') {
      const id = `${key}=${value}`;
      if (seen.has(id)) errors.push(duplicate(at, { key, value }, `the term ${id} is listed twice`));
      seen.add(id);
    }
  });
  return errors;
}

export function validateInjectionStrategy(strategy: unknown, path: string): FieldError[] {
  if (strategy === undefined || strategy === null) return [];
  if (!isObject(strategy)) return [typeInvalid(path, strategy, 'must be an object {paused, revision}')];
  const errors: FieldError[] = [];
  if (strategy.paused !== undefined && strategy.paused !== null && typeof strategy.paused !== 'boolean') {
    errors.push(typeInvalid(`${path}.paused`, strategy.paused, 'must be true or false'));
  }
  const revision = strategy.revision;
  if (revision === undefined || revision === null) return errors;
  if (!isObject(revision)) return [...errors, typeInvalid(`${path}.revision`, revision, 'must be an object {revisionName | customVersion, policy}')];
  if (!isNonEmptyString(revision.revisionName) && !isNonEmptyString(revision.customVersion)) {
    errors.push(
      required(`${path}.revision`, 'name the revision to inject: revisionName (a ControllerRevision) or customVersion (its apps.kruise.io/sidecarset-custom-version label)'),
    );
  }
  errors.push(...checkEnum(`${path}.revision.policy`, revision.policy, REVISION_POLICIES));
  return errors;
}
