export { buildHealthServer } from './healthServer.js';
