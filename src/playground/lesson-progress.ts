/**
 * A lesson's progress in localStorage: the stage the reader is on and the stages whose checks
 * passed. Like the playground's edits, storage is a convenience: without it, progress lives in the
 * page only, and nothing here throws.
 */
export interface LessonProgress {
  /** 1-based. */
  stage: number;
  done: number[];
}

const key = (lesson: string) => `higress-wasm-lab:lesson:${lesson}:v1`;

export function loadProgress(lesson: string, stages: number): LessonProgress {
  try {
    const saved = JSON.parse(localStorage.getItem(key(lesson)) ?? 'null') as Partial<LessonProgress> | null;
    const stage = Number.isInteger(saved?.stage) && saved!.stage! >= 1 && saved!.stage! <= stages ? saved!.stage! : 1;
    const done = Array.isArray(saved?.done) ? saved!.done!.filter((n) => Number.isInteger(n) && n >= 1 && n <= stages) : [];
    return { stage, done };
  } catch {
    return { stage: 1, done: [] };
  }
}

export function saveProgress(lesson: string, progress: LessonProgress): void {
  try {
    localStorage.setItem(key(lesson), JSON.stringify(progress));
  } catch {
    // Full or unavailable storage: progress stays in the page.
  }
}
