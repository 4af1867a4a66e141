# The product image: the worker, the CLI (watch, backfill, status, health) and the workflow
# bundle, built once. docker-compose.yml runs it as the worker, the watcher and the campaign UI.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# The build also bundles the workflow code, so workers start without webpack at run time.
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# VRL programs are read at run time from vrl/ beside dist/.
COPY --from=build /app/vrl ./vrl
# A named volume mounted here takes this folder's owner, so the unprivileged user can write.
RUN mkdir -p /var/lib/alert-pipeline && chown node:node /var/lib/alert-pipeline
USER node
ENV DATA_DIR=/var/lib/alert-pipeline
CMD ["node", "dist/workers/main.js"]
