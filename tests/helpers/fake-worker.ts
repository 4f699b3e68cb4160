/**
 * Stands in for a Web Worker in unit tests of its owner: records what the owner posts (`sent`),
 * plays the worker's side (`reply`, `fail`), and notes termination.
 */
export class FakeWorker<Sent, Received> extends EventTarget {
  readonly sent: Sent[] = [];
  isTerminated = false;

  postMessage(message: Sent): void {
    this.sent.push(message);
  }

  terminate(): void {
    this.isTerminated = true;
  }

  reply(message: Received): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }

  /** An `error` event as the browser fires it: with the uncaught error's message, or none when the script did not load. */
  fail(message?: string): void {
    this.dispatchEvent(Object.assign(new Event('error'), message === undefined ? {} : { message }));
  }
}
