import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

const API_PATHS = /^\/(api|health|metrics|socket\.io)(\/|$)/;

/**
 * Serves the built Angular app from the API's own port: hashed assets with a long cache life,
 * and `index.html` (never cached) for every other GET that is not an API path, so client-side
 * routes survive a reload. Without a build it says how to make one.
 */
export function serveWebApp(app: NestExpressApplication, dir: string): void {
  const logger = new Logger('WebApp');
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`no web build in ${dir}: run "npm start" or "npx nx build web" to serve the app`);
    return;
  }
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res, path) => {
      const hashed = /[.-][A-Z0-9]{8,}\.(js|css|woff2?)$/i.test(path);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  logger.log(`serving the web app from ${dir}`);
}
