export { validateSidecarSet, validateSidecarSetName, SIDECARSET_NAME_MAX } from './validateSidecarSet.js';
export { validateResourceBinding } from './validateResourceBinding.js';
export { sidecarSetsCanSelectSamePod, NAMESPACE_NAME_LABEL } from './sidecarSetScope.js';
export { parseQuantity, readQuantity, formatQuantity, canonicalQuantity, compareQuantities, QUANTITY_MAX_LENGTH, type Quantity, type QuantityFormat, type QuantityReading } from './quantity.js';
export {
  parsePatchMetadataWhitelist,
  KRUISE_CONFIGURATION_NAME,
  PATCH_METADATA_WHITELIST_KEY,
  WHITELIST_BOUNDS,
  EXPRESSION_BOUNDS,
  type PatchMetadataWhitelist,
  type WhitelistRule,
  type AllowedKeyExpression,
  type WhitelistOptions,
} from './patchMetadataWhitelist/patchMetadataWhitelist.js';
export { validatePatchMetadataWhitelist, WHITELIST_MATCH_BUDGET } from './patchMetadataWhitelist/validatePatchMetadataWhitelist.js';
