/** Packs a starter project into a .zip the browser can offer for download. */
import { strToU8, zipSync, type Zippable } from 'fflate';

/**
 * Every entry's modification time. ZIP stores local date and time fields and fflate fills them
 * from the Date's local-time getters, so a Date built from local fields gives the same bytes in
 * every time zone.
 */
const FIXED_MTIME = new Date(2025, 0, 1, 0, 0, 0);

/** Unix, regular file, rw-r--r--, so unzip does not fall back to odd permissions. */
const UNIX_OS = 3;
const REGULAR_FILE_644 = 0o100644 * 0x1_0000;

/**
 * Returns the bytes of a .zip holding each file (UTF-8) as `<folderName>/<name>`, deflated.
 * Entries are sorted by name and dated FIXED_MTIME, so the same input always gives the same bytes.
 */
export function zipStarterProject(folderName: string, files: Record<string, string>): Uint8Array {
  const tree: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    tree[`${folderName}/${name}`] = [strToU8(files[name] ?? ''), { os: UNIX_OS, attrs: REGULAR_FILE_644 }];
  }
  return zipSync(tree, { level: 9, mtime: FIXED_MTIME });
}
