/**
 * Every limit a client meets at the HTTP edge, in one place (README "Limits" lists them).
 * Each says why it is what it is.
 */

/** The largest JSON body (1 MiB, as before this file): it bounds one request's memory and parse time. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The deepest JSON nesting accepted: contacts nest three levels; 64 leaves room and no stack at risk. */
export const MAX_JSON_DEPTH = 64;

/** The most query parameters one request may carry: the richest list filter takes about a dozen. */
export const MAX_QUERY_PARAMETERS = 1000;

/** A socket idle this long is closed, so a silent client cannot hold one forever. */
export const CONNECTION_TIMEOUT_MS = 60_000;

/** A whole request (headers and body) must arrive within this: a 30 MB 8x8 upload at 1 Mbit/s takes 4 minutes. */
export const REQUEST_TIMEOUT_MS = 300_000;

/** An idle keep-alive socket is closed after this (Node's own default, made explicit beside the others). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
