// A throwaway code-server (VS Code 1.99.3 in the browser) for the end-to-end test: its own
// user-data, extensions and XDG folders under one temp dir, no gallery, no telemetry, no
// workspace-trust prompt (the recipe in shared/notes/vscode-in-browser), our .vsix installed.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_DIR = process.env.CONVKAN_CODE_SERVER_DIR || path.join(os.homedir(), '.cache', 'convkan-notebook', 'code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');

/** User settings: quiet, offline, and the colour theme the test asks for. */
export function userSettings(colorTheme: string): Record<string, unknown> {
  return {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'chat.commandCenter.enabled': false,
    'npm.fetchOnlinePackageInfo': false,
    'typescript.disableAutomaticTypeAcquisition': true,
    'git.enabled': false,
    'json.schemaDownload.enable': false,
    'workbench.colorTheme': colorTheme,
    // Hovers that open while the machine is slow can cover what a test clicks next; the helpers in
    // workbench.ts also dismiss them and pick list entries by keyboard, this only makes them rarer.
    'workbench.hover.delay': 5000,
    'editor.hover.enabled': false,
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) =>
    http
      .get(url, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      })
      .on('error', reject),
  );
}

export class CodeServer {
  readonly userSettingsFile: string;
  readonly workspace: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  url = '';

  private constructor(
    readonly root: string,
    private readonly configFile: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.userSettingsFile = path.join(root, 'user-data', 'User', 'settings.json');
    this.workspace = path.join(root, 'ws');
    this.logFile = path.join(root, 'code-server.log');
  }

  /** Lays out a fresh instance under `root` (created) with the given colour theme. */
  static async create(root: string, colorTheme: string): Promise<CodeServer> {
    if (!fs.existsSync(CODE_SERVER_BIN)) {
      throw new Error(`code-server 4.99.4 must be installed at ${CODE_SERVER_BIN} (run test/setup/system.sh), but it is missing`);
    }
    for (const d of ['user-data/User', 'extensions', 'xdg/config', 'xdg/data', 'xdg/cache', 'tmp', 'ws']) {
      fs.mkdirSync(path.join(root, d), { recursive: true });
    }
    const port = await freePort();
    const configFile = path.join(root, 'config.yaml');
    fs.writeFileSync(
      configFile,
      [
        `bind-addr: 127.0.0.1:${port}`,
        'auth: none',
        'cert: false',
        'disable-telemetry: true',
        'disable-update-check: true',
        'disable-workspace-trust: true',
        'disable-getting-started-override: true',
        `user-data-dir: ${path.join(root, 'user-data')}`,
        `extensions-dir: ${path.join(root, 'extensions')}`,
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, 'xdg/config'),
      XDG_DATA_HOME: path.join(root, 'xdg/data'),
      XDG_CACHE_HOME: path.join(root, 'xdg/cache'),
      TMPDIR: path.join(root, 'tmp'),
      EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    };
    const server = new CodeServer(root, configFile, env);
    server.url = `http://127.0.0.1:${port}`;
    server.setTheme(colorTheme);
    return server;
  }

  /** Writes the user settings with this colour theme (before start; later, switch in the UI). */
  setTheme(colorTheme: string): void {
    fs.writeFileSync(this.userSettingsFile, JSON.stringify(userSettings(colorTheme), null, 2));
  }

  installExtension(vsix: string): string {
    const r = spawnSync(CODE_SERVER_BIN, ['--config', this.configFile, '--install-extension', vsix, '--force'], {
      env: this.env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
    const list = spawnSync(CODE_SERVER_BIN, ['--config', this.configFile, '--list-extensions', '--show-versions'], {
      env: this.env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return list.stdout.trim();
  }

  async start(): Promise<void> {
    const log = fs.createWriteStream(this.logFile);
    const child = spawn(CODE_SERVER_BIN, ['--config', this.configFile, this.workspace], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so stop() ends its extension hosts and kernels too
    });
    this.child = child;
    let listening!: () => void;
    const up = new Promise<void>((resolve) => (listening = resolve));
    for (const s of [child.stdout, child.stderr]) {
      s.on('data', (d: Buffer) => {
        log.write(d);
        if (/HTTP server listening/.test(d.toString())) listening();
      });
    }
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`code-server exited with ${code} before listening; see ${this.logFile}`))),
    );
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('code-server did not listen within 90 s')), 90_000).unref(),
    );
    await Promise.race([up, exited, timeout]);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      if ((await httpStatus(`${this.url}/healthz`).catch(() => 0)) === 200) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`code-server at ${this.url} did not answer /healthz with 200 within 30 s`);
  }

  /** Stops code-server and everything it started (extension host, kernels). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
  }
}
