/**
 * Where the site's sources live, as package.json's `repository` says: the header's link and each
 * page's "edit this page" point there. One place to change when the repository moves.
 */
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { repository: { url: string } };

export const REPOSITORY_URL = manifest.repository.url.replace(/\.git$/, '');

/** Starlight's editLink base: the file's path from the repository root is appended to it. */
export const EDIT_BASE_URL = `${REPOSITORY_URL}/edit/main/`;
