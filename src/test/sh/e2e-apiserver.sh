#!/usr/bin/env bash
# A standalone control plane (etcd + kube-apiserver + kube-controller-manager) from the binaries of
# ../shared/k8s, independent of the end-to-end suite, with an admin kubeconfig: a stand-in for "a
# cluster reachable through a kubeconfig" where no kind or OpenShift cluster is at hand (docs/e2e.md,
# "Against another cluster").
#
#   src/test/sh/e2e-apiserver.sh start   # prints the admin kubeconfig path
#   ./mvnw -B verify -Daot.skip -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
#       -Dit.test='*E2E' -Dnetattach.e2e.kubeconfig=target/e2e-apiserver/admin.kubeconfig
#   src/test/sh/e2e-apiserver.sh stop
#
# Environment: E2E_APISERVER_DIR (default target/e2e-apiserver), E2E_APISERVER_PORT (default 16443),
# E2E_APISERVER_ADDRESS (address it binds to and advertises, default 127.0.0.1), K8S_BINARIES (default
# ../shared/k8s). Needs openssl, kubectl and Debian's etcd-server (/usr/bin/etcd).
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir="$(realpath -m "${E2E_APISERVER_DIR:-target/e2e-apiserver}")"
port="${E2E_APISERVER_PORT:-16443}"
address="${E2E_APISERVER_ADDRESS:-127.0.0.1}"
bins="$(realpath -m "${K8S_BINARIES:-../shared/k8s}")"

stop() {
  local p
  for p in kube-controller-manager kube-apiserver etcd; do
    if [ -f "$dir/$p.pid" ]; then
      kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
      rm -f "$dir/$p.pid"
      echo "stopped $p"
    fi
  done
}

start() {
  [ -f "$dir/kube-apiserver.pid" ] && kill -0 "$(cat "$dir/kube-apiserver.pid")" 2>/dev/null && {
    echo "already running: $dir/admin.kubeconfig"; exit 0; }
  mkdir -p "$dir/bin" "$dir/pki"
  for b in kube-apiserver kube-controller-manager; do
    [ -x "$dir/bin/$b" ] || { gunzip -c "$bins/$b.gz" > "$dir/bin/$b.tmp" && chmod +x "$dir/bin/$b.tmp" && mv "$dir/bin/$b.tmp" "$dir/bin/$b"; }
  done
  local pki="$dir/pki"
  if [ ! -f "$pki/admin.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout "$pki/ca.key" -out "$pki/ca.crt" -subj /CN=e2e-cluster-ca \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,digitalSignature 2>/dev/null
    sign() { # name subject [san]
      openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "$2" 2>/dev/null
      local ext=()
      [ -n "${3:-}" ] && { printf 'subjectAltName=%s\n' "$3" > "$pki/$1.ext"; ext=(-extfile "$pki/$1.ext"); }
      openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
        -out "$pki/$1.crt" "${ext[@]}" 2>/dev/null
    }
    sign apiserver /CN=kube-apiserver "IP:$address,IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    sign admin "/O=system:masters/CN=e2e-admin"
    sign kcm /CN=system:kube-controller-manager
    openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
    openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  fi
  kubeconfig() { # user cert key
    cat <<KC
apiVersion: v1
kind: Config
clusters:
- name: e2e-apiserver
  cluster:
    server: https://$address:$port
    certificate-authority: $pki/ca.crt
users:
- name: $1
  user:
    client-certificate: $pki/$2.crt
    client-key: $pki/$2.key
contexts:
- name: $1
  context: {cluster: e2e-apiserver, user: $1}
current-context: $1
KC
  }
  kubeconfig admin admin > "$dir/admin.kubeconfig"
  kubeconfig kcm kcm > "$dir/kcm.kubeconfig"

  local etcd_port=$((port + 1)) peer_port=$((port + 2)) kcm_port=$((port + 3))
  rm -rf "$dir/etcd"
  setsid /usr/bin/etcd --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "default=http://127.0.0.1:$peer_port" \
    > "$dir/etcd.log" 2>&1 < /dev/null &
  echo $! > "$dir/etcd.pid"
  # ServiceAccount admission stays off, as kube-api-test runs it (no token volumes for pods that never run)
  setsid "$dir/bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address "$address" --advertise-address "$address" --secure-port "$port" --endpoint-reconciler-type none \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
    --service-account-signing-key-file "$pki/sa.key" --service-cluster-ip-range 10.0.0.0/24 \
    --authorization-mode RBAC --disable-admission-plugins ServiceAccount \
    > "$dir/kube-apiserver.log" 2>&1 < /dev/null &
  echo $! > "$dir/kube-apiserver.pid"
  local i
  for i in $(seq 1 120); do
    kubectl --kubeconfig "$dir/admin.kubeconfig" get --raw /readyz > /dev/null 2>&1 && break
    kill -0 "$(cat "$dir/kube-apiserver.pid")" 2>/dev/null || { echo "kube-apiserver exited, see $dir/kube-apiserver.log" >&2; stop; exit 1; }
    sleep 1
  done
  kubectl --kubeconfig "$dir/admin.kubeconfig" get --raw /readyz > /dev/null || { echo "kube-apiserver not ready in 120 s" >&2; stop; exit 1; }
  setsid "$dir/bin/kube-controller-manager" --kubeconfig "$dir/kcm.kubeconfig" \
    --authentication-kubeconfig "$dir/kcm.kubeconfig" --authorization-kubeconfig "$dir/kcm.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --service-cluster-ip-range 10.0.0.0/24 > "$dir/kube-controller-manager.log" 2>&1 < /dev/null &
  echo $! > "$dir/kube-controller-manager.pid"
  echo "kube-apiserver $(kubectl --kubeconfig "$dir/admin.kubeconfig" version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1) at https://$address:$port"
  echo "admin kubeconfig: $dir/admin.kubeconfig"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
