# Blueprint's server and trainer in one image, with the ONNX Runtime library taken from the
# same pinned PyPI wheel that `make test` and `make run` use (scripts/provision-ort.sh).
#
#   docker build -t blueprint .
#   docker run --rm -p 8080:8080 -v blueprint-data:/data -e BLUEPRINT_TOKEN=change-me blueprint
#   # then http://127.0.0.1:8080/docs/
#
# The image listens on 0.0.0.0, so the server refuses to start without BLUEPRINT_TOKEN (or
# BLUEPRINT_ALLOW_ANONYMOUS=true, to let anyone who reaches the port write and compute).
# Configuration is the server's environment variables (see .env.sample).
# The trainer is in the image too:
#   docker run --rm -v blueprint-data:/data blueprint blueprint-trainer --help

# --- build: both binaries, and the ONNX Runtime library extracted from the wheel ----------
FROM rust:1.92-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/provision-ort.sh > /tmp/ort-library-path \
    && mkdir -p /opt/onnxruntime \
    && cp "$(dirname "$(cat /tmp/ort-library-path)")"/lib*.so* /opt/onnxruntime/
RUN cargo build --release --locked -p blueprint-server -p blueprint-trainer \
    && mkdir -p /opt/blueprint/bin demo/models \
    && cp target/release/blueprint-server target/release/blueprint-trainer /opt/blueprint/bin/

# --- runtime: a slim Debian, a non-root user, the database on a volume ---------------------
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin blueprint \
    && mkdir -p /data \
    && chown blueprint:blueprint /data
COPY --from=build /opt/blueprint/bin/ /usr/local/bin/
COPY --from=build /opt/onnxruntime/ /opt/onnxruntime/
COPY --from=build /src/demo/models/ /opt/blueprint/demo/models/
ENV ORT_DYLIB_PATH=/opt/onnxruntime/libonnxruntime.so.1.32.0 \
    DATABASE_URL=sqlite:///data/blueprint.db \
    BLUEPRINT_BIND=0.0.0.0:8080 \
    BLUEPRINT_DEMO_DIR=/opt/blueprint/demo/models
VOLUME ["/data"]
WORKDIR /data
USER blueprint
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/api/v1/healthz || exit 1
# SIGTERM (docker stop) lets in-flight requests finish before the process exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["blueprint-server"]
CMD ["serve"]
