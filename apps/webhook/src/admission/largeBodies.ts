// Memory stays bounded however many large requests arrive at once: a body costs several times its
// size while it is read, decoded and parsed, so large bodies (over LARGE_BODY_BYTES, by their
// Content-Length, or unknown) are admitted only while those in flight add up to at most
// LARGE_BODIES_IN_FLIGHT_BYTES; one more is answered 503 with Retry-After at once, before it is read.
// Small bodies (every real pod or SidecarSet) are never held back, so a flood of large requests
// cannot crowd out normal admissions nor push the process past its heap limit.
// A body refused here also ends an HTTP/1.1 connection (as fastify does for a Content-Length over the
// body limit): otherwise Node reads, and decrypts, the rest of the body to keep the connection.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const LARGE_BODY_BYTES = 256 * 1024;
export const LARGE_BODIES_IN_FLIGHT_BYTES = 32 * 1024 * 1024;

/** Answers without reading the body; an HTTP/1.1 connection is closed after the answer (HTTP/2 resets only the stream). */
function refuseUnread(request: FastifyRequest, reply: FastifyReply, code: number, message: { error: string; message: string }): void {
  if (request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
  reply.code(code).send(message);
}

export function limitLargeBodies(app: FastifyInstance, bodyLimit: number, inFlightLimit = LARGE_BODIES_IN_FLIGHT_BYTES): void {
  let inFlight = 0;
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'POST') return done();
    const declared = Number(request.headers['content-length']);
    const size = Number.isFinite(declared) ? Math.min(declared, bodyLimit) : bodyLimit;
    if (size <= LARGE_BODY_BYTES) return done();
    if (inFlight + size > inFlightLimit) {
      reply.header('retry-after', '1');
      return refuseUnread(request, reply, 503, { error: 'Service Unavailable', message: 'sidecarset webhook is reading as many large request bodies as it allows; retry shortly' });
    }
    inFlight += size;
    let released = false;
    const release = () => {
      if (!released) inFlight -= size;
      released = true;
    };
    // Whichever comes first: the answer is sent, or the caller goes away.
    reply.raw.once('close', release);
    reply.raw.once('finish', release);
    done();
  });
}
