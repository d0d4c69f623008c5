import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

export type LogFormat = 'pretty' | 'json';

/**
 * C2M_LOG_FORMAT when set; otherwise readable for a person at a terminal outside production, and
 * JSON lines for everything else (a log collector, a pipe, a container runtime).
 */
export function logFormat(config: Config, stdoutIsTty: boolean): LogFormat {
  return config.logFormat ?? (!config.production && stdoutIsTty ? 'pretty' : 'json');
}

/** The process's logger, on stdout. */
export function createLogger(config: Config, format: LogFormat): Logger {
  const opts = { level: config.logLevel };
  if (format === 'json') return pino(opts);
  // a stream in this thread rather than a worker transport: lines written before process.exit()
  // (the shutdown message) are not lost
  return pino(
    opts,
    pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
  );
}
