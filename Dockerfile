# kneechat container image: a direct mirror of the tested install.
# The build stage builds kneechat and its Debian package exactly as
# `bash deploy/build.sh` and `cpack -G DEB` do (the package test,
# ctest -L package, checks that package and runs it); the runtime stage
# installs that .deb on debian:12-slim, so apt pulls in exactly the runtime
# libraries dpkg-shlibdeps found, and nothing else.
#
#   docker build -t kneechat:0.1.0 .
#   docker run --rm -p 8080:8080 -p 50051:50051 kneechat:0.1.0
#
# Settings: mount a deployment file at /etc/kneechat/kneechat.textproto,
# pass channel secrets as environment variables it names (env:NAME), and add
# flags after the image name (they replace CMD, so repeat the listen flags).

FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      build-essential cmake pkg-config git dpkg-dev file \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libre2-dev libxapian-dev libabsl-dev nlohmann-json3-dev \
      libcpp-httplib-dev libssl-dev libhiredis-dev libhunspell-dev libzstd-dev \
      libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DKNEECHAT_BUILD_TESTS=OFF -DKNEECHAT_BUILD_BENCHMARKS=OFF \
 && cmake --build build -j"$(nproc)" \
 && cd build && cpack -G DEB -B /out \
 && rm -rf /out/_CPack_Packages

FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
# Fixed numeric ids, so that Kubernetes can check runAsNonRoot; the
# package's postinst finds the user already there (and gives its group the
# deployment file).
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends adduser \
 && addgroup --system --gid 10001 kneechat \
 && adduser --system --uid 10001 --ingroup kneechat --no-create-home \
      --home /nonexistent --gecos "kneechat server" kneechat
COPY --from=build /out/kneechat_*.deb /tmp/
# hunspell-en-gb is only recommended by the package: without it spelling
# correction is skipped.
RUN apt-get install -y -qq --no-install-recommends /tmp/kneechat_*.deb \
      hunspell-en-gb \
 && rm -rf /tmp/kneechat_*.deb /var/lib/apt/lists/*
USER 10001:10001
EXPOSE 8080 50051
# SIGTERM drains requests in flight for --shutdown_grace, then exits 0.
STOPSIGNAL SIGTERM
# Ready: the HTTP side answers and the session store is reachable. bash's
# /dev/tcp, so the image needs no HTTP client.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/bin/kneechat-server"]
CMD ["--listen", "0.0.0.0:50051", "--http-listen", "0.0.0.0:8080", \
     "--config", "/etc/kneechat/kneechat.textproto"]
