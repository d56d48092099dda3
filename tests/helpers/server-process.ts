import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcessWithoutNullStreams;
  /** Ends the server (stdin closed); SIGKILL after `killAfterMs` if it does not exit (a server stuck in a validator never reads it). */
  stop(killAfterMs?: number): Promise<void>;
}

/**
 * A Strapi of its own in a child process (tests/support/server-worker.js), for tests that watch what
 * a whole process does (its temp directory, its event loop) rather than calling into it.
 */
export async function startServerProcess(env: Record<string, string | undefined>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'server-worker.js')], { env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    async stop(killAfterMs = 15_000) {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.stdin.end();
      const stuck = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(stuck);
    },
  };
}
