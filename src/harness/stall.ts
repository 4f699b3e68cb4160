/**
 * Explains a stream still paused at its deadline. With a callout still pending it timed out; with
 * nothing pending it is stalled — the plugin paused and nothing can resume it, one of the commonest
 * plugin bugs (the real gateway hangs until its timeout). The hint names the likely fix.
 */
import { DataStatus, HeaderStatus } from './abi/enums.ts';
import type { OutcomeError } from './outcome.ts';
import type { HttpStream } from './stream.ts';

const CALLBACKS = {
  'request-headers': 'proxy_on_request_headers',
  'request-body': 'proxy_on_request_body',
  'request-trailers': 'proxy_on_request_trailers',
  'response-headers': 'proxy_on_response_headers',
  'response-body': 'proxy_on_response_body',
  'response-trailers': 'proxy_on_response_trailers',
} as const;

/**
 * `unknownCluster` is the outcome's note that a call went to a cluster the gateway lacks: a
 * stream stalled after that waits for a reply that was never coming, so the message names the
 * cluster rather than the pause.
 */
export function stallError(stream: HttpStream, pendingCallouts: number, timeoutMs: number, unknownCluster?: OutcomeError): OutcomeError {
  const at = stream.pausedAt;
  const callback = at ? CALLBACKS[at] : 'a callback';
  if (pendingCallouts === 0 && unknownCluster) {
    return {
      kind: 'unknown-cluster',
      message: `${unknownCluster.message.replace(/\.$/, '')}; the call was refused, and the stream stayed paused in ${callback} with nothing left that could resume it`,
      ...(unknownCluster.hint ? { hint: `${unknownCluster.hint}; and when a call fails to start, answer or resume the request instead of waiting for it` } : {}),
    };
  }
  if (pendingCallouts > 0) {
    return {
      kind: 'timeout',
      message: `the request waited in ${callback} for a callout that did not answer within ${timeoutMs / 1000}s`,
      hint: 'lower the cluster latency in the scenario, or give the callout a timeout and handle its failure',
    };
  }
  return {
    kind: 'stalled',
    message: `the stream was paused in ${callback} with nothing pending that could resume it; a gateway would hold it until its timeout`,
    hint: stallHint(at, stream.pausedWith),
  };
}

function stallHint(at: HttpStream['pausedAt'], status: number): string {
  const resume = at?.startsWith('response') ? 'proxywasm.ResumeHttpResponse()' : 'proxywasm.ResumeHttpRequest()';
  if (at === 'request-headers' && status === HeaderStatus.StopIteration) {
    return 'HeaderStopIteration on a request without a body waits for a body that never comes; return HeaderContinue, or HeaderStopAllIterationAndWatermark while a callout is pending and resume from its callback';
  }
  if (at === 'request-headers' || at === 'response-headers') {
    return `returned Pause (${status === HeaderStatus.StopAllIterationAndBuffer ? 'HeaderStopAllIterationAndBuffer' : 'HeaderStopAllIterationAndWatermark'}) without resuming; did you mean HeaderContinue? If you wait for a callout, call ${resume} or SendHttpResponse in its callback`;
  }
  if (at === 'request-trailers' || at === 'response-trailers') {
    return `the trailers callback returned StopIteration and nothing called ${resume}; return Continue from it`;
  }
  const name = status === DataStatus.StopIterationNoBuffer ? 'DataStopIterationNoBuffer' : status === DataStatus.StopIterationAndWatermark ? 'DataStopIterationAndWatermark' : 'DataStopIterationAndBuffer';
  return `the body callback returned ${name} on the last chunk and nothing called ${resume}; return DataContinue once the body is complete`;
}
