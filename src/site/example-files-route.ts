/**
 * /example-files/<example>.json: what a playground fetches when it first needs it, instead of every
 * playground carrying its example's code in the page: the example's files as text and main.go
 * with its syntax colours as data (code-tokens.ts). Static at build time; the page asks with ?v=<exampleFilesHash>.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { stripRegionMarkers } from './code-region.ts';
import { exampleFiles, exampleNames } from './example-sources.ts';
import { tokenizeCode, type CodeTokens } from './code-tokens.ts';

/** The JSON this route answers with. */
export interface ExampleFilesPayload {
  /** Every file of examples/<example>/ by name. */
  files: Record<string, string>;
  /** main.go as the playground shows it for reading: without region markers, with its colours. */
  mainGoView: { text: string; tokens: CodeTokens };
}

export const getStaticPaths: GetStaticPaths = () => exampleNames().map((example) => ({ params: { example } }));

export const GET: APIRoute = async ({ params }) => {
  const example = params.example ?? '';
  const files = exampleFiles(example);
  const mainGo = files['main.go'];
  if (mainGo === undefined) return new Response(`examples/${example} has no main.go`, { status: 404 });
  const text = stripRegionMarkers(mainGo).trimEnd();
  const payload: ExampleFilesPayload = { files, mainGoView: { text, tokens: await tokenizeCode(text, 'go') } };
  return new Response(JSON.stringify(payload), { headers: { 'content-type': 'application/json; charset=utf-8' } });
};
