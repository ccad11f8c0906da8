#!/bin/sh
# Install what clearance needs to build and test, when it is missing.
# Debian packages only; safe to run again (checks before installing).
set -e
need=""
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have_pc libgit2      || need="$need libgit2-dev"
have_pc libcurl      || need="$need libcurl4-openssl-dev"
have_pc jansson      || need="$need libjansson-dev"
have_pc libpcre2-8   || need="$need libpcre2-dev"
have_pc yaml-0.1     || need="$need libyaml-dev"
have_pc sqlite3      || need="$need libsqlite3-dev"
have_pc libcrypto    || need="$need libssl-dev"
have_pc libxml-2.0   || need="$need libxml2-dev"
have_pc cmocka       || need="$need libcmocka-dev"
have_pc libmicrohttpd || need="$need libmicrohttpd-dev"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
command -v git >/dev/null 2>&1        || need="$need git"
command -v cc >/dev/null 2>&1         || need="$need gcc"
command -v make >/dev/null 2>&1       || need="$need make"
command -v clang >/dev/null 2>&1      || need="$need clang"
command -v python3 >/dev/null 2>&1    || need="$need python3"
# The toml-test conformance suite (data only) for the TOML reader's tests.
[ -d /usr/share/gocode/src/github.com/BurntSushi/toml/internal/toml-test ] ||
	dpkg -s golang-github-burntsushi-toml-dev >/dev/null 2>&1 || need="$need golang-github-burntsushi-toml-dev"
[ -n "$need" ] || exit 0
echo "install-deps: installing$need"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
