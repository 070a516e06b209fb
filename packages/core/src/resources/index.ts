export { resourcesFromPolicy, evaluateResourceExpression, type PolicyResources, type ResourcesPolicy } from './resourcesFromPolicy.js';
export { evaluateExpression, EXPRESSION_MAX_LENGTH, type Evaluation, type ExpressionValue } from './resourceExpression.js';
export { formatGoQuantity, milliValue, parseGoQuantity, ZERO_QUANTITY, type GoQuantity } from './goQuantity.js';
