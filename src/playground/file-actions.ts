/** Download: the example with the reader's edits as a starter project. Loaded on the first download (it brings the zip writer). */
import { buildStarterProject } from './starter/starter-project.ts';
import { zipStarterProject } from './starter/zip.ts';

/** Saves `<example>.zip`: the example's files with the reader's main.go, config and requests. */
export function downloadProject(example: string, files: Record<string, string>, edited: { code: string; config: string; scenario: string }): void {
  const project = buildStarterProject({ example, files: { ...files, 'main.go': edited.code }, config: edited.config, scenario: edited.scenario });
  const bytes = zipStarterProject(example, project);
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${example}.zip`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
