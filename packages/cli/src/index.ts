export { main, buildProgram } from './main.js';
export { parseAddress, type ServerAddress } from './address.js';
