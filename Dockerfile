# landatlas: multi-stage build. Stage 1 builds the web front end, stage 2 the Go binary with the
# front end embedded, stage 3 is the runtime with GDAL (imports of Shapefile, GeoPackage, ...) and
# Chromium (the monitoring report as PDF).

FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json* ./
RUN if [ -f package.json ] && [ -f package-lock.json ]; then npm ci --no-audit --no-fund; fi
COPY web/ ./
RUN if [ -f package-lock.json ]; then npm run build; fi

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/web/dist ./web/dist
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/landatlas ./cmd/landatlas

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gdal-bin chromium fonts-dejavu-core ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /nonexistent landatlas
COPY --from=build /out/landatlas /usr/local/bin/landatlas
USER landatlas
ENV LANDATLAS_ADDR=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["landatlas"]
CMD ["serve"]
