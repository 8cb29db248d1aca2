# The app image: the same code serves as web server (default), worker (node src/worker.ts) and the
# one-off jobs (node src/migrate.ts, node src/setup-temporal.ts). Node 24 runs the TypeScript
# sources directly, so there is no build step; only production dependencies are installed.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY web ./web
USER node
EXPOSE 3000
CMD ["node", "src/server.ts"]
