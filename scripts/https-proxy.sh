#!/usr/bin/env bash
# HTTPS in front of the sandbox, for clients that hard-code APS's hosts and refuse plain HTTP
# (the official PHP SDK, for one). nginx from Debian terminates TLS with certificates from a
# local certificate authority made here with openssl, and forwards to the sandbox over plain
# HTTP, keeping Host and adding X-Forwarded-For/-Proto/-Host/-Port. The sandbox has no TLS
# of its own; see docs/https.md for trusting the CA and mapping the host names.
#
#   scripts/https-proxy.sh start [--upstream http://127.0.0.1:8080] [--port 443] [--listen 127.0.0.1] [--dir .build/https-proxy]
#   scripts/https-proxy.sh stop  [--dir .build/https-proxy]
#   scripts/https-proxy.sh run   [...]      # in the foreground; Ctrl-C stops it
#
# The CA (DIR/ca.pem) is made once and reused, so a client that trusts it keeps trusting it;
# delete DIR to start over. Port 443 needs root (or sudo, used when needed).
set -euo pipefail
cd "$(dirname "$0")/.."

hosts=(sbpaymentservices.payfort.com sbcheckout.payfort.com paymentservices.payfort.com checkout.payfort.com localhost)
action="${1:-start}"; [ $# -gt 0 ] && shift
upstream=http://127.0.0.1:8080
port=443
listen=127.0.0.1
dir=.build/https-proxy
while [ $# -gt 0 ]; do
  case "$1" in
    --upstream) upstream="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --listen) listen="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "https-proxy: unknown option $1 (see the top of $0)" >&2; exit 64 ;;
  esac
done
case "$upstream" in http://*) ;; *) echo "https-proxy: --upstream must be an http:// URL, got $upstream" >&2; exit 64 ;; esac
case "$port" in ''|*[!0-9]*) echo "https-proxy: --port must be a number, got $port" >&2; exit 64 ;; esac
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# Below 1024 only root may listen; nginx drops its workers to nobody itself.
privileged() { if [ "$port" -lt 1024 ] && [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

if [ "$action" = stop ]; then
  if [ -f "$dir/nginx.pid" ]; then
    privileged nginx -q -p "$dir" -c "$dir/nginx.conf" -s quit
    for _ in $(seq 50); do [ -f "$dir/nginx.pid" ] || break; sleep 0.1; done
    echo "https-proxy: stopped"
  else
    echo "https-proxy: not running (no $dir/nginx.pid)"
  fi
  exit 0
fi
[ "$action" = start ] || [ "$action" = run ] || { echo "https-proxy: start, stop or run, not $action" >&2; exit 64; }

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "https-proxy: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${need[@]}" >/dev/null
  # Debian starts the packaged nginx on port 80; this script runs its own.
  as_root systemctl disable --now nginx >/dev/null 2>&1 || as_root service nginx stop >/dev/null 2>&1 || true
fi
export PATH="$PATH:/usr/sbin"

# The certificate authority: made once, kept.
if [ ! -f "$dir/ca.pem" ] || [ ! -f "$dir/ca.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -subj "/CN=paylink-sandbox local CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 "$dir/ca.key"
  rm -f "$dir/server.pem"
fi
# The server certificate: every APS host the SDKs name, localhost and 127.0.0.1.
san="$(printf 'DNS:%s,' "${hosts[@]}")IP:127.0.0.1"
if [ ! -f "$dir/server.pem" ] || ! openssl x509 -in "$dir/server.pem" -noout -checkend 86400 >/dev/null; then
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$dir/server.key" -out "$dir/server.csr" \
    -subj "/CN=sbpaymentservices.payfort.com" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' "$san" > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 825 -sha256 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  chmod 600 "$dir/server.key"
  rm -f "$dir/server.csr"
fi

mkdir -p "$dir/temp"
user_line=""
if [ "$port" -lt 1024 ] || [ "$(id -u)" -eq 0 ]; then
  # The master runs as root to bind the port; the workers as nobody, who may write only temp.
  user_line="user nobody nogroup;"
  privileged chown nobody:nogroup "$dir/temp" 2>/dev/null || privileged chmod 1777 "$dir/temp"
fi
cat > "$dir/nginx.conf" <<CONF
# Written by scripts/https-proxy.sh; remade on every start.
$user_line
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;

    server {
        listen $listen:$port ssl;
        server_name ${hosts[*]} 127.0.0.1;
        ssl_certificate $dir/server.pem;
        ssl_certificate_key $dir/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;

        # The sandbox sets its own limits (server.max_body_bytes, server.max_upload_bytes).
        client_max_body_size 0;
        location / {
            proxy_pass $upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-Host \$host;
            proxy_set_header X-Forwarded-Port \$server_port;
            # Pass bodies and answers through as they come, so the sandbox's faults (delays,
            # slow drip, dropped connections) reach the client as the sandbox made them.
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_read_timeout 600s;
            proxy_send_timeout 600s;
        }
    }
}
CONF

if ! checked="$(privileged nginx -q -t -p "$dir" -c "$dir/nginx.conf" 2>&1)"; then
  echo "$checked" >&2
  exit 1
fi
shown_port=""; [ "$port" = 443 ] || shown_port=":$port"
echo "https-proxy: https://sbpaymentservices.payfort.com$shown_port and https://sbcheckout.payfort.com$shown_port -> $upstream"
echo "https-proxy: listening on $listen:$port; CA certificate: $dir/ca.pem"
if [ "$action" = run ]; then
  exec_args=(nginx -p "$dir" -c "$dir/nginx.conf" -g "daemon off;")
  if [ "$port" -lt 1024 ] && [ "$(id -u)" -ne 0 ]; then exec sudo "${exec_args[@]}"; else exec "${exec_args[@]}"; fi
fi
if [ -f "$dir/nginx.pid" ] && privileged kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
  privileged nginx -p "$dir" -c "$dir/nginx.conf" -s reload
else
  privileged nginx -p "$dir" -c "$dir/nginx.conf"
fi
