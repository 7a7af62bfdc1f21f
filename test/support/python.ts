// The real Python trace producers (Agno, the OpenAI Agents SDK, OpenTelemetry,
// boto3, the Scale GP client) and Phoenix run from a virtual environment that
// is created on first use from the pinned test/python/requirements.txt, like
// code-server in .vscode-test/. The folder name carries a hash of the
// requirements, so a change of pins builds a fresh one and a warm machine pays
// nothing.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file holding test/python (works from a bundle too). */
export const ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'test', 'python', 'requirements.txt'))) {
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(__dirname, '../..');
    dir = up;
  }
  return dir;
})();
export const REQUIREMENTS = path.join(ROOT, 'test', 'python', 'requirements.txt');

function findPython(): string {
  for (const candidate of [process.env.PYTHON, 'python3.11', 'python3']) {
    if (!candidate) continue;
    const r = spawnSync(candidate, ['-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
    if (r.status === 0 && /^3\.(1[1-9])/.test(r.stdout.trim())) return candidate;
  }
  throw new Error('Python 3.11+ with the venv module was not found (Debian: apt-get install python3 python3-venv). The producer tests need it.');
}

/** Folder of the test virtual environment for the current pins. */
export function venvDir(): string {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(REQUIREMENTS)).digest('hex').slice(0, 12);
  return process.env.SPAN_INSPECTOR_VENV || path.join(ROOT, '.vscode-test', `venv-${hash}`);
}

/** Creates the venv if missing (once, ~2 minutes on a fresh machine) and returns its python. */
export function ensureVenv(): string {
  const dir = venvDir();
  const python = path.join(dir, 'bin', 'python');
  const marker = path.join(dir, '.installed');
  if (fs.existsSync(marker)) return python;
  process.stderr.write(`[python] creating ${path.relative(ROOT, dir)} from test/python/requirements.txt (once, ~2 minutes)…\n`);
  // A half-built folder from an interrupted run is rebuilt, not trusted.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // A lock folder keeps parallel test processes from building it twice.
  const lock = `${dir}.lock`;
  try {
    fs.mkdirSync(lock);
  } catch {
    return waitForVenv(marker, python);
  }
  try {
    execFileSync(findPython(), ['-m', 'venv', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', REQUIREMENTS], {
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 20 * 60_000,
    });
    fs.writeFileSync(marker, new Date().toISOString());
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  return python;
}

function waitForVenv(marker: string, python: string): string {
  const deadline = Date.now() + 20 * 60_000;
  while (!fs.existsSync(marker)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build ${path.dirname(marker)}`);
    spawnSync('sleep', ['2']);
  }
  return python;
}

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Python script of test/python/ (or inline code with `-c`) in the venv and collects its output. */
export function runPython(args: string[], options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<PythonRun> {
  const python = ensureVenv();
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, {
      cwd: options.cwd ?? path.join(ROOT, 'test', 'python'),
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running Python process (a server) in the venv; kill it when done. */
export function spawnPython(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): ChildProcess {
  const python = ensureVenv();
  return spawn(python, args, {
    cwd: options.cwd ?? path.join(ROOT, 'test', 'python'),
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
