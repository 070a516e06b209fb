export * from './generated/index.js';
export * from './client/index.js';
