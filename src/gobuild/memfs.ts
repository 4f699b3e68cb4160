/**
 * The in-memory file system Go's js/wasm syscall layer calls through `globalThis.fs` when the Go
 * compiler and linker run in a Worker (reference/in-browser-go.md §2): Node-style callbacks,
 * errors carrying a Node errno `code`, real O_* bits, stat objects with every numeric field, and
 * positional reads and writes (compile -pack seeks back to rewrite archive headers).
 */

/** Linux/Node values, so flags Go builds from fs.constants decode the same way here. */
export const O = { RDONLY: 0, WRONLY: 1, RDWR: 2, CREAT: 64, EXCL: 128, TRUNC: 512, APPEND: 1024, DIRECTORY: 65536 } as const;

type Callback<T = unknown> = (error: Error | null, result?: T) => void;

class FsError extends Error {
  readonly code: string;
  constructor(code: string, path: string) {
    super(`${code}: ${path}`);
    this.code = code;
  }
}

/** A file's bytes with spare capacity, so the linker's and compiler's many writes stay cheap. */
class MemFile {
  data: Uint8Array;
  size: number;
  readonly ino: number;
  constructor(ino: number, data: Uint8Array = new Uint8Array(0)) {
    this.ino = ino;
    this.data = data;
    this.size = data.length;
  }
  bytes(): Uint8Array {
    return this.data.subarray(0, this.size);
  }
  writeAt(position: number, chunk: Uint8Array): void {
    const end = position + chunk.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2, 4096));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    this.data.set(chunk, position);
    this.size = Math.max(this.size, end);
  }
}

interface OpenFile {
  file: MemFile;
  path: string;
  position: number;
  isAppend: boolean;
}

export interface MemFs {
  /** Adds or replaces a file (read-only inputs are kept by reference, not copied). */
  writeFile(path: string, data: Uint8Array | string): void;
  readFile(path: string): Uint8Array | undefined;
  remove(path: string): void;
  /** The object to install as globalThis.fs while a Go tool runs. */
  readonly node: Record<string, unknown>;
  /** Text written to fd 1 and 2 since the last take. */
  takeOutput(): { stdout: string; stderr: string };
}

/** Creates an empty file system whose root directory is `/`. */
export function createMemFs(): MemFs {
  const files = new Map<string, MemFile>();
  const fds = new Map<number, OpenFile>();
  let nextFd = 10;
  let nextIno = 2;
  const output = { stdout: '', stderr: '' };
  const decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
  const normalize = (path: string) => (path.startsWith('/') ? path : `/${path}`).replace(/\/\.?(?=\/|$)/g, '').replace(/\/+$/, '') || '/';
  const isDir = (path: string) => path === '/' || [...files.keys()].some((f) => f.startsWith(`${path}/`));

  const stat = (ino: number, size: number, isDirectory: boolean) => ({
    dev: 1,
    ino,
    mode: isDirectory ? 0o040755 : 0o100644,
    nlink: 1,
    uid: 0,
    gid: 0,
    rdev: 0,
    size,
    blksize: 4096,
    blocks: Math.ceil(size / 512),
    atimeMs: 0,
    mtimeMs: 0,
    ctimeMs: 0,
    isDirectory: () => isDirectory,
  });
  const statPath = (raw: string, cb: Callback) => {
    const path = normalize(raw);
    const file = files.get(path);
    if (file) return cb(null, stat(file.ino, file.size, false));
    if (isDir(path)) return cb(null, stat(1, 0, true));
    cb(new FsError('ENOENT', path));
  };
  const capture = (fd: 1 | 2, chunk: Uint8Array) => {
    output[fd === 1 ? 'stdout' : 'stderr'] += decoders[fd].decode(chunk, { stream: true });
  };

  const node = {
    constants: { O_RDONLY: O.RDONLY, O_WRONLY: O.WRONLY, O_RDWR: O.RDWR, O_CREAT: O.CREAT, O_EXCL: O.EXCL, O_TRUNC: O.TRUNC, O_APPEND: O.APPEND, O_DIRECTORY: O.DIRECTORY },
    writeSync(fd: number, view: Uint8Array): number {
      if (fd === 1 || fd === 2) capture(fd, view.slice());
      return view.length;
    },
    open(raw: string, flags: number, _mode: number, cb: Callback<number>) {
      const path = normalize(raw);
      let file = files.get(path);
      if (file && flags & O.CREAT && flags & O.EXCL) return cb(new FsError('EEXIST', path));
      if (!file) {
        if (isDir(path) && !(flags & O.CREAT)) {
          const fd = nextFd++;
          fds.set(fd, { file: new MemFile(1), path, position: 0, isAppend: false });
          return cb(null, fd);
        }
        if (!(flags & O.CREAT)) return cb(new FsError('ENOENT', path));
        file = new MemFile(nextIno++);
        files.set(path, file);
      }
      if (flags & O.TRUNC) {
        file.data = new Uint8Array(0);
        file.size = 0;
      }
      const fd = nextFd++;
      fds.set(fd, { file, path, position: 0, isAppend: (flags & O.APPEND) !== 0 });
      cb(null, fd);
    },
    fstat(fd: number, cb: Callback) {
      const open = fds.get(fd);
      if (!open) return cb(new FsError('EBADF', String(fd)));
      statPath(open.path, cb);
    },
    read(fd: number, buf: Uint8Array, offset: number, length: number, position: number | null, cb: Callback<number>) {
      const open = fds.get(fd);
      if (!open) return cb(new FsError('EBADF', String(fd)));
      const from = position ?? open.position;
      const chunk = open.file.bytes().subarray(from, from + length);
      buf.set(chunk, offset);
      if (position === null || position === undefined) open.position += chunk.length;
      cb(null, chunk.length);
    },
    write(fd: number, buf: Uint8Array, offset: number, length: number, position: number | null, cb: Callback<number>) {
      const chunk = buf.subarray(offset, offset + length);
      if (fd === 1 || fd === 2) {
        capture(fd, chunk);
        return cb(null, length);
      }
      const open = fds.get(fd);
      if (!open) return cb(new FsError('EBADF', String(fd)));
      const at = position ?? (open.isAppend ? open.file.size : open.position);
      open.file.writeAt(at, chunk);
      if (position === null || position === undefined) open.position = at + length;
      cb(null, length);
    },
    close(fd: number, cb: Callback) {
      if (!fds.delete(fd)) return cb(new FsError('EBADF', String(fd)));
      cb(null);
    },
    stat: statPath,
    lstat: statPath,
    unlink(raw: string, cb: Callback) {
      const path = normalize(raw);
      if (!files.delete(path)) return cb(new FsError('ENOENT', path));
      cb(null);
    },
    rmdir(raw: string, cb: Callback) {
      cb(new FsError(isDir(normalize(raw)) ? 'ENOTEMPTY' : 'ENOENT', raw));
    },
    readdir(raw: string, cb: Callback<string[]>) {
      const prefix = normalize(raw) === '/' ? '/' : `${normalize(raw)}/`;
      cb(null, [...new Set([...files.keys()].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]!))]);
    },
    fsync: (_fd: number, cb: Callback) => cb(null),
    mkdir: (_p: string, _m: number, cb: Callback) => cb(null),
  };
  // Everything else Go might call answers ENOSYS, which Go maps to an ordinary error.
  const enosys = (name: string) => (...args: unknown[]) => (args.at(-1) as Callback)(new FsError('ENOSYS', name));
  for (const name of ['chmod', 'chown', 'fchmod', 'fchown', 'ftruncate', 'lchown', 'link', 'readlink', 'rename', 'symlink', 'truncate', 'utimes']) {
    (node as Record<string, unknown>)[name] = enosys(name);
  }

  return {
    writeFile(path, data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      files.set(normalize(path), new MemFile(nextIno++, bytes));
    },
    readFile: (path) => files.get(normalize(path))?.bytes().slice(),
    remove: (path) => void files.delete(normalize(path)),
    node,
    takeOutput() {
      const taken = { ...output };
      output.stdout = '';
      output.stderr = '';
      return taken;
    },
  };
}
