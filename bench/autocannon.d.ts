// The part of autocannon 8's programmatic API the benchmarks use (the package ships no types).
declare module "autocannon" {
  interface Options {
    /** Several URLs: the connections are spread over them in turn (round robin). */
    url: string | string[];
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /**
     * Replace `[<id>]` in the body with a fresh id on every request. Broken for bodies in 8.0.0:
     * Content-Length assumes a 33-character id where hyperid makes ~24 (mcollina/autocannon#539).
     */
    idReplacement?: boolean;
    requests?: {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called before each request; what it returns is sent, Content-Length computed from it. */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
    }[];
    timeout?: number;
  }

  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
  }

  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    "2xx": number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram & { totalCount: number };
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }

  function autocannon(options: Options): Promise<Result> & { stop(): void };
  export default autocannon;
  export type { Options, Request, Result };
}
