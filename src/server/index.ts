export { buildApp } from './app.js';
export type { AppOptions } from './app.js';
export { HomeService } from './home-service.js';
export type { HomeServiceOptions, LiveSource } from './home-service.js';
export { startServer } from './start-server.js';
export type { RunningServer, ServeOptions } from './start-server.js';
