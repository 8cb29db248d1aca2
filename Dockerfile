# The app image: the same code serves as web server (default) or worker
# (command: node src/worker.ts). Node 24 runs the TypeScript sources directly.
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
