import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const APP_DIR = path.resolve(__dirname, '..', '..');

/** The project as it was at `commit`, in a temp folder sharing our node_modules. */
export function checkOutCommit(commit: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `helpdesk-${commit}-`));
  const archive = execFileSync('git', ['-C', APP_DIR, 'archive', '--format=tar', commit], { maxBuffer: 64 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(path.join(APP_DIR, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Runs `writer` (a script in tests/support) on the older code in `dir`, in its own process, on the
 * database the test made, and reads what it wrote: the JSON line of its output that starts with `marker`.
 */
export function writeWithOlderCode<Written>(writer: string, dir: string, marker: string, env: Record<string, string> = {}): Promise<Written> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, writer), dir], {
      cwd: dir,
      env: { ...process.env, SMTP_HOST: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(marker));
      if (code === 0 && line) resolve(JSON.parse(line) as Written);
      else reject(new Error(`${writer} exited with ${code}: ${err}\n${out}`));
    });
  });
}
