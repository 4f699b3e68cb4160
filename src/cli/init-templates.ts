/**
 * The plugins `wasm-lab init` can start from: each is one of the site's examples, so what a new
 * project holds is code the site teaches and tests (tools/build-cli-package.ts copies them into
 * the package's templates/).
 */
export interface InitTemplate {
  /** What `--template` takes. */
  name: string;
  /** The examples/<folder> it is copied from. */
  example: string;
  /** One line for `wasm-lab init --help` and the error that lists them. */
  summary: string;
}

export const INIT_TEMPLATES: readonly InitTemplate[] = [
  { name: 'blank', example: 'blank', summary: 'a starting point: logs each request, lets it through, adds one response header' },
  { name: 'hello-world', example: 'hello-world', summary: 'adds a configured header to every response and answers /hello itself' },
  { name: 'limiter', example: 'redis-limiter', summary: 'per-minute request quota kept in Redis (INCR + EXPIRE), 429 over it' },
  { name: 'http-call', example: 'http-call', summary: 'asks an auth service over HTTP before letting a request through' },
  { name: 'custom-response', example: 'custom-response', summary: 'answers with a configured status, headers and body' },
  { name: 'key-auth', example: 'key-auth', summary: 'authenticates requests by API key and authorizes the consumer' },
  { name: 'request-block', example: 'request-block', summary: 'rejects requests whose URL, headers or body match the config' },
  { name: 'token-bucket', example: 'token-bucket', summary: 'per-client token bucket in Redis, one atomic Lua EVAL per request' },
  { name: 'ai-token-usage', example: 'ai-token-usage', summary: 'counts the tokens of streamed (SSE) chat completions, a budget in Redis' },
  { name: 'json-mask', example: 'json-mask', summary: 'buffers JSON responses and masks the fields named in the config' },
];

export const DEFAULT_INIT_TEMPLATE = 'hello-world';
