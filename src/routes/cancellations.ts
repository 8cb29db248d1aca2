// PLACEHOLDER — a helper replaces this file.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const cancellationRoutes: FastifyPluginAsyncTypebox = async () => {};
