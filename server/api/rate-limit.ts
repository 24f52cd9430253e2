// Fixed-window rate limits per key (client id, IP) with rate-limiter-flexible, answering 429 with
// Retry-After. In memory: each instance limits on its own (see docs/operations.md).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export class RateLimits {
  private readonly limiters = new Map<number, RateLimiterMemory>();

  private limiter(perMinute: number): RateLimiterMemory {
    let l = this.limiters.get(perMinute);
    if (!l) {
      l = new RateLimiterMemory({ points: perMinute, duration: 60 });
      this.limiters.set(perMinute, l);
    }
    return l;
  }

  /** Undefined when allowed, else the seconds to wait. */
  async consume(key: string, perMinute: number): Promise<number | undefined> {
    try {
      await this.limiter(perMinute).consume(key);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}
