# The credits ledger, one image for every role (ROLE=api | projector | worker | all).
# docker build -t credits-ledger .   — see docs/deployment.md.

# --- build: compile TypeScript, then drop dev dependencies -----------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Everything else the build reads; .dockerignore keeps out node_modules, dist, data and tests.
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime -----------------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/tmp/ledger-data
WORKDIR /app
# package.json marks the project root (migrations are found from it); migrations/ runs at start-up.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
USER node
EXPOSE 3000
# No curl in the slim image; Node 20 has fetch. Ready = PostgreSQL and the event store answer.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
