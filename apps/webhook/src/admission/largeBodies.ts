// Memory stays bounded however many large requests arrive at once: a body costs several times its
// size while it is read, decoded and parsed, so large bodies (over LARGE_BODY_BYTES, by their
// Content-Length, or unknown) are admitted only while those in flight add up to at most
// LARGE_BODIES_IN_FLIGHT_BYTES; one more is answered 503 with Retry-After at once, before it is read.
// Small bodies (every real pod or SidecarSet) are never held back, so a flood of large requests
// cannot crowd out normal admissions nor push the process past its heap limit.
import type { FastifyInstance } from 'fastify';

export const LARGE_BODY_BYTES = 256 * 1024;
export const LARGE_BODIES_IN_FLIGHT_BYTES = 32 * 1024 * 1024;

export function limitLargeBodies(app: FastifyInstance, bodyLimit: number, inFlightLimit = LARGE_BODIES_IN_FLIGHT_BYTES): void {
  let inFlight = 0;
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'POST') return done();
    const declared = Number(request.headers['content-length']);
    const size = Number.isFinite(declared) ? Math.min(declared, bodyLimit) : bodyLimit;
    if (size <= LARGE_BODY_BYTES) return done();
    if (inFlight + size > inFlightLimit) {
      reply.code(503).header('retry-after', '1').send({ error: 'Service Unavailable', message: 'sidecarset webhook is reading as many large request bodies as it allows; retry shortly' });
      return;
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
