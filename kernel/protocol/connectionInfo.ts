// Connection files (the JSON Jupyter passes with --connection-file / -f): read, write, pick free
// ports and build ZeroMQ endpoints. No sockets here, so both the kernel and clients use it.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import type { Channel } from './messages';

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  control_port: number;
  iopub_port: number;
  stdin_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

const PORT_FIELDS = ['shell_port', 'control_port', 'iopub_port', 'stdin_port', 'hb_port'] as const;

export function readConnectionFile(file: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Error in connection file ${file}: cannot read it as JSON (${(e as Error).message})`);
  }
  return validateConnectionInfo(raw, file);
}

export function validateConnectionInfo(raw: unknown, source = 'connection info'): ConnectionInfo {
  if (raw === null || typeof raw !== 'object')
    throw new Error(`Error in ${source}: expected a JSON object, but got ${JSON.stringify(raw)}`);
  const info = raw as Record<string, unknown>;
  const transport = info.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') {
    throw new Error(`Error in ${source}: transport must be "tcp" or "ipc", but got ${JSON.stringify(transport)}`);
  }
  for (const f of PORT_FIELDS) {
    const v = info[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) {
      throw new Error(`Error in ${source}: ${f} must be an integer port in 0..65535, but got ${JSON.stringify(v)}`);
    }
  }
  return {
    ...(info as unknown as ConnectionInfo),
    transport,
    ip: typeof info.ip === 'string' && info.ip ? info.ip : '127.0.0.1',
    key: typeof info.key === 'string' ? info.key : '',
    signature_scheme: typeof info.signature_scheme === 'string' ? info.signature_scheme : 'hmac-sha256',
  };
}

/** The ZeroMQ address of one channel (tcp://ip:port, or ipc://ip-port as jupyter_client names ipc files). */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as (typeof PORT_FIELDS)[number]];
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}

/** Asks the OS for `count` distinct free TCP ports on `ip` (held open together, so they differ). */
export async function findFreePorts(count: number, ip = '127.0.0.1'): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, ip, () => resolve());
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** A fresh connection description with free ports on 127.0.0.1 and a random 256-bit key. */
export async function createConnectionInfo(ip = '127.0.0.1'): Promise<ConnectionInfo> {
  const [shell_port, control_port, iopub_port, stdin_port, hb_port] = await findFreePorts(5, ip);
  return {
    transport: 'tcp',
    ip,
    shell_port,
    control_port,
    iopub_port,
    stdin_port,
    hb_port,
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
  };
}

/** Writes the file readable by its owner only (it holds the signing key). */
export function writeConnectionFile(file: string, info: ConnectionInfo): void {
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
}

/**
 * Largest message a kernel socket accepts (ZeroMQ's maxMessageSize): ZeroMQ allocates an incoming
 * message before anyone checks its signature, so without a limit any peer that can connect makes
 * the kernel allocate what it likes. A peer that sends more is disconnected.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** What is unsafe about a connection, one line each (logged at start). */
export function connectionWarnings(info: ConnectionInfo): string[] {
  const warnings: string[] = [];
  if (!info.key)
    warnings.push('WARNING: the connection file has an empty key: messages are not signed, and anyone who can connect can run code');
  if (info.transport === 'tcp' && ['0.0.0.0', '*', '::', ''].includes(info.ip)) {
    warnings.push(
      `WARNING: the kernel listens on all network interfaces (ip ${JSON.stringify(info.ip)}): other machines can reach it; ` +
        `use 127.0.0.1 unless that is intended`,
    );
  }
  return warnings;
}
