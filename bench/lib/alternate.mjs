// Alternate the subject (Atrium) and its baseline run by run: A B A B ...
// Measuring all A runs and then all B runs would put any slow phase of a
// shared machine on one side only; back-to-back pairs share it.
import { medianOfPairwiseRatios, relativeSpread, pairwiseRatios } from './stats.mjs';

/**
 * Warm both sides up once (results discarded: JIT, connection pools, page
 * cache), then run `pairs` A/B pairs and return every run plus the median of
 * the pairwise ratios of `metric(run)`.
 * @example
 * const { ratio } = await alternate({
 *   pairs: 5,
 *   runSubject: (phase) => runLoad(atriumUrl, phase),
 *   runBaseline: (phase) => runLoad(rawUrl, phase),
 *   metric: (run) => run.requestsPerSec,
 * });
 */
export async function alternate({ pairs, runSubject, runBaseline, metric, warmup = true, onRun = () => {} }) {
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`alternate() needs a positive whole number of pairs; got ${pairs}`);
  if (warmup) {
    onRun({ phase: 'warmup', side: 'subject', run: await runSubject('warmup') });
    onRun({ phase: 'warmup', side: 'baseline', run: await runBaseline('warmup') });
  }
  const subjectRuns = [];
  const baselineRuns = [];
  for (let i = 0; i < pairs; i++) {
    const subject = await runSubject('measure');
    subjectRuns.push(subject);
    onRun({ phase: 'measure', side: 'subject', index: i, run: subject });
    const baseline = await runBaseline('measure');
    baselineRuns.push(baseline);
    onRun({ phase: 'measure', side: 'baseline', index: i, run: baseline });
  }
  const subjectValues = subjectRuns.map(metric);
  const baselineValues = baselineRuns.map(metric);
  const ratios = pairwiseRatios(subjectValues, baselineValues);
  return {
    subjectRuns,
    baselineRuns,
    subjectValues,
    baselineValues,
    ratios,
    ratio: medianOfPairwiseRatios(subjectValues, baselineValues),
    spread: relativeSpread(ratios),
  };
}
