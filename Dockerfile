# paylink-sandbox as a container image. NOT BUILT HERE: no container engine runs on the
# machines this project is developed on. What stands in for it is scripts/test-static-chroot.sh,
# which runs the same static binary, the same way (unprivileged, configured by PAYLINK_*
# variables, state in /var/lib/paylink-sandbox), in a debootstrap --variant=minbase bookworm
# root, the kind of root debian:bookworm-slim is made from. See docs/distribution.md.
#
#   docker build -t paylink-sandbox .
#   docker run --rm -p 8080:8080 paylink-sandbox

# The Swift release this project is developed with (6.x); the -bookworm images build against
# the same glibc the runtime stage has.
ARG SWIFT_VERSION=6.3

# ---- build: the Swift runtime linked in, so the next stage needs no Swift --------------------
FROM swift:${SWIFT_VERSION}-bookworm AS build
WORKDIR /src
COPY . .
RUN swift build -c release --static-swift-stdlib --product paylink-sandbox \
 && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/paylink-sandbox" /out/paylink-sandbox \
 && strip /out/paylink-sandbox

# ---- run: a minimal Debian with libc, libm, libstdc++ and libgcc_s, which is all it needs -----
FROM debian:bookworm-slim
# A user of its own, no login, owning only the state directory.
RUN groupadd --system --gid 10001 paylink \
 && useradd --system --uid 10001 --gid paylink --home-dir /var/lib/paylink-sandbox --no-create-home --shell /usr/sbin/nologin paylink \
 && install -d -o paylink -g paylink -m 0750 /var/lib/paylink-sandbox
COPY --from=build /out/paylink-sandbox /usr/local/bin/paylink-sandbox

# State in a volume: a restarted container keeps its links, orders and deliveries (each change
# is on disk before it is answered). A new container gets a new, empty anonymous volume unless
# a named one is mounted; `-e PAYLINK_STATE_DIR=` (empty) keeps state in memory instead.
ENV PAYLINK_STATE_DIR=/var/lib/paylink-sandbox
VOLUME ["/var/lib/paylink-sandbox"]
WORKDIR /var/lib/paylink-sandbox

USER paylink:paylink
EXPOSE 8080
# No curl in the image: the binary asks itself (GET /__sandbox/health, 2 s timeout, exit 0 or 1).
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["paylink-sandbox", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["paylink-sandbox"]
# Every other option comes from PAYLINK_* variables (a CI service's `env:`). The port stays
# 8080 inside the container, where the HEALTHCHECK asks by default; publish it on another
# (`-p 9000:8080`) rather than moving it.
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
