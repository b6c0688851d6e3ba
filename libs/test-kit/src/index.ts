// One test kit for integration, API e2e, fault and security tests and the bench: typed REST and
// Socket.IO clients, a launcher for the built API, free ports, health waits, fresh databases
// and Redis key prefixes, our own PostgreSQL/Redis processes for fault injection, and a
// Signal-protocol device for the end-to-end encryption tests.
export * from './workspace';
export * from './timing';
export * from './ports';
export * from './health';
export * from './server';
export * from './rest';
export * from './socket';
export * from './services';
export * from './processes';
export * from './signal-device';
