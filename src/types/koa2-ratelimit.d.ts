// koa2-ratelimit ships no types; this covers what guest-rate-limit uses.
declare module 'koa2-ratelimit' {
  interface Options {
    interval: number;
    max: number;
    store?: unknown;
    prefixKey?: string;
    keyGenerator?: (ctx: never) => Promise<string>;
    handler?: (ctx: never) => void;
  }
  export const RateLimit: { middleware(options: Options): unknown };
  export const Stores: { Memory: new () => unknown };
}
