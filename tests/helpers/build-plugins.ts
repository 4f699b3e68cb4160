/**
 * Vitest globalSetup: builds the examples and the test fixtures once, before any worker starts, so
 * the workers only read public/wasm/ and .cache/fixtures/ (tests/helpers/plugins.ts).
 */
import { buildExamples, EXAMPLES, FIXTURES } from '../../tools/build-examples.ts';
import { findGo, ToolchainError } from '../../tools/lib/go-toolchain.ts';

export async function setup(): Promise<void> {
  let go;
  try {
    go = findGo();
  } catch (error) {
    if (!(error instanceof ToolchainError)) throw error;
    // Tests that need a plugin skip with a reason (hasGo) or report this same sentence.
    console.warn(`Plugins not built: ${error.message}`);
    return;
  }
  // Quiet when nothing changed; a real build takes long enough to deserve its log lines.
  const log = (line: string) => {
    if (!line.includes(': unchanged (')) console.log(line);
  };
  for (const target of [EXAMPLES, FIXTURES]) await buildExamples(go, log, target);
}
