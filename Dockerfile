# One image for every Kindshift process: api (default command), worker, migrate and seed:demo.
# No secret is baked in: every setting comes from the environment at run time (see .env.example).

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: full dependency tree, compile TypeScript, then drop dev dependencies ----------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    SCARF_ANALYTICS=false

# Dependencies first, so source edits do not invalidate the npm ci layer.
COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY libs ./libs
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime: compiled output + production dependencies, run as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    PORT=3000
WORKDIR /app

# Files stay owned by root: the app can read its code but not change it.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time next to dist/ (templates and static files of the web pages).
COPY views ./views
COPY public ./public

USER node
EXPOSE 3000

# api by default; compose overrides it for worker, migrate and seed. `node` directly (not
# `npm start`) so SIGTERM reaches the process; run with an init (compose `init: true`).
CMD ["node", "dist/src/api/main.js"]
