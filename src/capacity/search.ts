import type { CapacityStep, SearchEnd, SearchPlan, TransportCapacity } from './types.js';
import type { TransportName } from '../transports/types.js';

/** Measures one load step; resolves undefined when the run was interrupted. */
export type MeasureStep = (load: number) => Promise<CapacityStep | undefined>;

/**
 * Finds the largest load that meets the service level. The search steps up
 * by `factor` from `start` until a step fails, or down when the first step
 * fails. It then bisects between the last passing and the first failing
 * load until they are within the tolerance. It assumes that a load above a
 * failing one fails too.
 */
export async function searchCapacity(transport: TransportName, plan: SearchPlan, measure: MeasureStep): Promise<TransportCapacity> {
  const search = new Search(transport, plan, measure);
  return search.run();
}

class Search {
  private readonly steps = new Map<number, CapacityStep>();
  private lastPass: number | undefined;
  private firstFail: number | undefined;

  constructor(
    private readonly transport: TransportName,
    private readonly plan: SearchPlan,
    private readonly measure: MeasureStep,
  ) {}

  async run(): Promise<TransportCapacity> {
    const end = (await this.bracket()) ?? (await this.bisect());
    return {
      transport: this.transport,
      maximum: this.lastPass ?? null,
      firstFailure: this.firstFail ?? null,
      end,
      points: [...this.steps.values()].sort((a, b) => a.load - b.load),
    };
  }

  /** Steps by `factor` until one load passes and another fails; returns why the search ends early, if it does. */
  private async bracket(): Promise<SearchEnd | undefined> {
    let load = this.clamp(this.plan.start);
    let outcome = await this.step(load);
    if (outcome !== undefined) return outcome;
    const goingUp = this.lastPass !== undefined;

    for (;;) {
      if (this.lastPass !== undefined && this.firstFail !== undefined) return undefined;
      const next = this.clamp(goingUp ? load * this.plan.factor : load / this.plan.factor);
      if (next === load) return goingUp ? 'upper-bound' : 'lower-bound';
      load = next;
      outcome = await this.step(load);
      if (outcome !== undefined) return outcome;
    }
  }

  /** Halves the gap between the last passing and the first failing load until it is within the tolerance. */
  private async bisect(): Promise<SearchEnd> {
    for (;;) {
      const low = this.lastPass as number;
      const high = this.firstFail as number;
      if (high - low <= Math.max(this.plan.tolerance * low, this.minimumGap())) return 'bisected';
      const middle = this.round((low + high) / 2);
      if (middle <= low || middle >= high) return 'bisected';
      const outcome = await this.step(middle);
      if (outcome !== undefined) return outcome;
    }
  }

  /** Measures one load; returns why the search must end now, or undefined to go on. */
  private async step(load: number): Promise<SearchEnd | undefined> {
    if (this.steps.size >= this.plan.maxSteps) return 'max-steps';
    const step = await this.measure(load);
    if (!step) return 'interrupted';
    this.steps.set(load, step);
    if (step.passed) this.lastPass = Math.max(this.lastPass ?? load, load);
    else this.firstFail = Math.min(this.firstFail ?? load, load);
    return undefined;
  }

  private clamp(load: number): number {
    return Math.min(this.plan.upperBound, Math.max(this.plan.lowerBound, this.round(load)));
  }

  /** Client counts are whole; rates keep two decimals, the precision of --rate's lower bound. */
  private round(load: number): number {
    return this.plan.dimension === 'clients' ? Math.round(load) : Math.round(load * 100) / 100;
  }

  private minimumGap(): number {
    return this.plan.dimension === 'clients' ? 1 : 0.01;
  }
}
