#!/usr/bin/env bash
# Regenerates the fixed TLS fixtures of the golden tests. Run once by hand; the outputs are committed so
# the tests are deterministic. The golden tests run with a clock fixed at 2030-01-01T00:00:00Z:
# "valid" certificates last 100 years, "short" ones one day from generation, so they are expired then.
set -euo pipefail
cd "$(dirname "$0")"

selfsigned() { # name days key-args san
    local name=$1 days=$2 san=$4
    # shellcheck disable=SC2086
    openssl req -x509 -newkey $3 -nodes -keyout "$name.key" -out "$name.crt" -days "$days" \
        -subj "/CN=${san%%,*}" -addext "subjectAltName=DNS:${san//,/,DNS:}" 2>/dev/null
}

selfsigned shop-rsa 36500 rsa:2048 "shop.example.com,www.shop.example.com"
selfsigned apps-wildcard-ec 36500 "ec -pkeyopt ec_paramgen_curve:prime256v1" "*.apps.example.com"
selfsigned short-lived 1 rsa:2048 "expired.example.com"
selfsigned other-rsa 36500 rsa:2048 "other.example.com"
# PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY") forms of the keys above.
openssl rsa -in shop-rsa.key -traditional -out shop-rsa.pkcs1.key 2>/dev/null
openssl ec -in apps-wildcard-ec.key -out apps-wildcard-ec.sec1.key 2>/dev/null
