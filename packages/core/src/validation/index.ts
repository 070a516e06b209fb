export { validateSidecarSet, validateSidecarSetName, SIDECARSET_NAME_MAX } from './validateSidecarSet.js';
export { validateResourceBinding } from './validateResourceBinding.js';
export { sidecarSetsCanSelectSamePod, NAMESPACE_NAME_LABEL } from './sidecarSetScope.js';
export { parseQuantity, formatQuantity, canonicalQuantity, compareQuantities, type Quantity, type QuantityFormat } from './quantity.js';
