#!/usr/bin/env bash
# Creates a CA and a serving certificate for the netattach admission webhook with openssl
# (ECDSA P-256), and prints the base64 caBundle that the webhook configurations need.
#
#   certs/generate.sh [--out DIR] [--service NAME] [--namespace NS] [--days N] [--ca-days N]
#                     [--san DNS:name|IP:addr]... [--new-ca]
#
# Writes into DIR (default certs/out, git-ignored; nothing is written anywhere else):
#   ca.crt ca.key          the CA (kept and reused on the next run, so the caBundle stays the same,
#                          unless --new-ca is given or it expires within the serving cert's validity)
#   tls.crt tls.key        the serving certificate and key (PEM; what the webhook's Secret holds)
#   ca-bundle.b64          the CA certificate, base64 on one line (the webhooks' clientConfig.caBundle)
#   cabundle-validating.yaml, cabundle-mutating.yaml
#                          JSON 6902 patches setting that caBundle, used by deploy/overlays/self-signed
#
# The serving certificate names NAME.NS.svc and NAME.NS.svc.cluster.local (plus NAME, NAME.NS and
# any --san), which is what the API server checks when it calls the webhook Service.
# Standalone mode and tests: add --san DNS:localhost --san IP:127.0.0.1.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
service="netattach-webhook"
namespace="netattach-system"
days=365
ca_days=3650
new_ca=false
extra_sans=()

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
}

fail() {
  echo "generate.sh: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || fail "--out needs a directory"; out="$2"; shift 2 ;;
    --service) [ $# -ge 2 ] || fail "--service needs a name"; service="$2"; shift 2 ;;
    --namespace) [ $# -ge 2 ] || fail "--namespace needs a name"; namespace="$2"; shift 2 ;;
    --days) [ $# -ge 2 ] || fail "--days needs a number"; days="$2"; shift 2 ;;
    --ca-days) [ $# -ge 2 ] || fail "--ca-days needs a number"; ca_days="$2"; shift 2 ;;
    --san) [ $# -ge 2 ] || fail "--san needs DNS:name or IP:address"; extra_sans+=("$2"); shift 2 ;;
    --new-ca) new_ca=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument \"$1\" (see --help)" ;;
  esac
done

dns_label='^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'
[[ "$service" =~ $dns_label ]] || fail "--service must be a DNS label (RFC 1123), got \"$service\""
[[ "$namespace" =~ $dns_label ]] || fail "--namespace must be a DNS label (RFC 1123), got \"$namespace\""
[[ "$days" =~ ^[1-9][0-9]{0,4}$ ]] || fail "--days must be a whole number from 1 to 99999, got \"$days\""
[[ "$ca_days" =~ ^[1-9][0-9]{0,4}$ ]] || fail "--ca-days must be a whole number from 1 to 99999, got \"$ca_days\""
for san in "${extra_sans[@]+"${extra_sans[@]}"}"; do
  [[ "$san" =~ ^(DNS:[A-Za-z0-9*]([-A-Za-z0-9.]*[A-Za-z0-9])?|IP:[0-9A-Fa-f:.]+)$ ]] \
    || fail "--san must be DNS:name or IP:address, got \"$san\""
done
command -v openssl >/dev/null || fail "openssl not found (Debian/Ubuntu: apt-get install openssl)"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
umask 077
work="$(mktemp -d "$out/.generate.XXXXXX")"
trap 'rm -rf "$work"' EXIT

sans="DNS:$service.$namespace.svc,DNS:$service.$namespace.svc.cluster.local,DNS:$service.$namespace,DNS:$service"
for san in "${extra_sans[@]+"${extra_sans[@]}"}"; do sans="$sans,$san"; done

# The CA: reused when present, valid long enough and not asked to be replaced.
reuse_ca=false
if ! $new_ca && [ -s "$out/ca.crt" ] && [ -s "$out/ca.key" ] \
   && openssl x509 -in "$out/ca.crt" -noout -checkend $((days * 86400)) >/dev/null 2>&1; then
  reuse_ca=true
  cp "$out/ca.crt" "$out/ca.key" "$work/"
else
  openssl ecparam -name prime256v1 -genkey -noout -out "$work/ca.key.sec1" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$work/ca.key.sec1" -out "$work/ca.key"
  openssl req -x509 -new -sha256 -key "$work/ca.key" -days "$ca_days" \
    -subj "/O=netattach/CN=netattach webhook CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$work/ca.crt" 2>/dev/null
fi

# The serving certificate, signed by the CA.
openssl ecparam -name prime256v1 -genkey -noout -out "$work/tls.key.sec1" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$work/tls.key.sec1" -out "$work/tls.key"
openssl req -new -sha256 -key "$work/tls.key" -subj "/O=netattach/CN=$service.$namespace.svc" \
  -out "$work/tls.csr" 2>/dev/null
cat > "$work/ext.cnf" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$sans
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
openssl x509 -req -sha256 -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
  -set_serial "0x$(openssl rand -hex 16)" -days "$days" -extfile "$work/ext.cnf" \
  -out "$work/tls.crt" 2>/dev/null
openssl verify -CAfile "$work/ca.crt" "$work/tls.crt" >/dev/null

bundle="$(base64 < "$work/ca.crt" | tr -d '\n')"
printf '%s\n' "$bundle" > "$work/ca-bundle.b64"
# JSON 6902 patches for the self-signed overlay: one operation per webhook of each configuration
# (deploy/base/webhooks.yaml: 4 validating webhooks, 1 mutating webhook; a test keeps them in step).
patch() {
  local n="$1" i
  for ((i = 0; i < n; i++)); do
    printf -- '- op: add\n  path: /webhooks/%d/clientConfig/caBundle\n  value: %s\n' "$i" "$bundle"
  done
}
patch 4 > "$work/cabundle-validating.yaml"
patch 1 > "$work/cabundle-mutating.yaml"

chmod 600 "$work/ca.key" "$work/tls.key"
chmod 644 "$work/ca.crt" "$work/tls.crt" "$work/ca-bundle.b64" "$work/cabundle-validating.yaml" "$work/cabundle-mutating.yaml"
for f in ca.crt ca.key tls.crt tls.key ca-bundle.b64 cabundle-validating.yaml cabundle-mutating.yaml; do
  mv -f "$work/$f" "$out/$f"
done

if $reuse_ca; then ca_note="reused"; else ca_note="new"; fi
echo "generate.sh: CA ($ca_note) and serving certificate for $service.$namespace.svc in $out" >&2
echo "generate.sh: SANs $sans; valid $days days" >&2
echo "caBundle: $bundle"
