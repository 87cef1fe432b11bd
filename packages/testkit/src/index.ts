/**
 * Test helpers shared by every package's tests: a chat server with real ChatClients on it
 * (chat-harness.ts), waiting on a client's state (wait.ts), PostgreSQL and Redis for a run
 * (services.ts), cheap password hashing, temporary folders, one fixture per test (per-test.ts)
 * and TLS certificates (certificates.ts). Source only (jest maps it); never built or published.
 */
export * from './chat-harness.js';
export * from './wait.js';
export * from './services.js';
export * from './folders.js';
export * from './per-test.js';
export * from './certificates.js';
export * from './sockets.js';
