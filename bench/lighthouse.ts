/**
 * Lighthouse (pinned 12.2.3) on Debian's Chromium: the default config, i.e. a mobile device with
 * simulated throttling, performance category only; the median of each figure over several runs.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_PATH } from '../tests/e2e/helpers/browser.ts';

export interface LighthouseFigures {
  /** 0–100. */
  score: number;
  /** Each run's score, in order, to show how much they vary. */
  scores: number[];
  siMs: number;
  lcpMs: number;
  tbtMs: number;
  fcpMs: number;
  cls: number;
  /** Lighthouse's own figures, for comparison with the bench's. */
  domSize: number;
  totalByteWeight: number;
  /** Lighthouse's CPU benchmark index (median): lower means a busier or slower machine. */
  benchmarkIndex: number;
  /** Distinct run warnings over all runs (e.g. "the page loaded too slowly"). */
  warnings: string[];
}

type PerRun = Omit<LighthouseFigures, 'scores' | 'warnings'>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface LighthouseRunner {
  version: string;
  /** Runs Lighthouse `runs` times on `url` and returns each figure's median. */
  measure(url: string, runs: number): Promise<LighthouseFigures>;
  close(): Promise<void>;
}

/** Starts one headless Chromium that every run connects to; Lighthouse resets storage between runs. */
export async function startLighthouse(): Promise<LighthouseRunner> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
    logLevel: 'silent',
  });
  let version = 'Lighthouse';
  return {
    get version() {
      return version;
    },
    async measure(url, runs) {
      const all: PerRun[] = [];
      const warnings = new Set<string>();
      for (let i = 0; i < runs; i++) {
        const result = await lighthouse(url, { port: chrome.port, onlyCategories: ['performance'], output: 'json', logLevel: 'error' });
        const lhr = result?.lhr;
        if (!lhr) throw new Error(`Lighthouse returned no result for ${url}`);
        if (lhr.runtimeError) throw new Error(`Lighthouse could not measure ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
        version = `Lighthouse ${lhr.lighthouseVersion} (${lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, ${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod} throttling)`;
        for (const w of lhr.runWarnings) warnings.add(String(w));
        const value = (id: string) => {
          const v = lhr.audits[id]?.numericValue;
          if (v === undefined) throw new Error(`Lighthouse audit ${id} has no value for ${url}: ${lhr.audits[id]?.errorMessage ?? 'missing'}`);
          return v;
        };
        const score = lhr.categories.performance?.score;
        if (score === null || score === undefined) throw new Error(`Lighthouse gave ${url} no performance score`);
        all.push({
          score: score * 100,
          lcpMs: value('largest-contentful-paint'),
          tbtMs: value('total-blocking-time'),
          fcpMs: value('first-contentful-paint'),
          siMs: value('speed-index'),
          cls: value('cumulative-layout-shift'),
          domSize: value('dom-size'),
          totalByteWeight: value('total-byte-weight'),
          benchmarkIndex: lhr.environment.benchmarkIndex,
        });
      }
      const pick = (k: keyof PerRun) => median(all.map((r) => r[k]));
      return {
        score: pick('score'),
        scores: all.map((r) => r.score),
        siMs: pick('siMs'),
        lcpMs: pick('lcpMs'),
        tbtMs: pick('tbtMs'),
        fcpMs: pick('fcpMs'),
        cls: pick('cls'),
        domSize: pick('domSize'),
        totalByteWeight: pick('totalByteWeight'),
        benchmarkIndex: pick('benchmarkIndex'),
        warnings: [...warnings],
      };
    },
    close: async () => {
      chrome.kill();
    },
  };
}
