// The ceiling: a bare Fastify server doing only what no contact directory can avoid. Lookup answers
// a stored contact's JSON from memory; create validates the same ContactCreate schema and answers 201.
import Fastify from 'fastify';
import { Type } from 'typebox';
import { sharedSchemas } from '../src/app.ts';

const sample = JSON.parse(process.env.CEILING_SAMPLE_CONTACT ?? '{}');
const app = Fastify({ logger: false });
for (const schema of sharedSchemas()) app.addSchema(schema);
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/v1/lookup', { schema: { response: { 200: Type.Ref('LookupResult') } } }, async () => ({ matches: [sample] }));
app.post('/v1/contacts', { schema: { body: Type.Ref('ContactCreate'), response: { 201: Type.Ref('Contact') } } }, async (_request, reply) => reply.status(201).send(sample));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
