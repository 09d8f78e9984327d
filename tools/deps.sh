#!/bin/sh
# Make sure the Debian packages accord builds with are present.
# As root it installs what is missing (saying what); otherwise it prints
# the exact command and fails, so nothing happens behind the user's back.
set -eu
need=""
pkg-config --version >/dev/null 2>&1 || need="$need pkg-config"
for p in libsodium:libsodium-dev libgit2:libgit2-dev libcjson:libcjson-dev zlib:zlib1g-dev cmocka:libcmocka-dev; do
	mod=${p%%:*}; deb=${p#*:}
	pkg-config --exists "$mod" 2>/dev/null || need="$need $deb"
done
# libmbedcrypto has no pkg-config file in Debian 12: look for its header
[ -f /usr/include/mbedtls/sha1.h ] || need="$need libmbedtls-dev"
command -v git >/dev/null 2>&1 || need="$need git"
command -v cc >/dev/null 2>&1 || need="$need gcc"
if [ "${ACCORD_DEPS_TESTS:-0}" = 1 ]; then
	[ -d /usr/share/json-schema-test-suite/tests/draft7 ] || need="$need json-schema-test-suite"
	/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1 || need="$need python3-jsonschema"
	command -v ssh-keygen >/dev/null 2>&1 || need="$need openssh-client"
	# business hours name zones: test_hours and t2009-agreement.sh read the tz database
	[ -f /usr/share/zoneinfo/Europe/Copenhagen ] || need="$need tzdata"
	# tools/check-format.sh (tests/e2e/t0009-format.sh): the formatter .clang-format is written for
	command -v clang-format-14 >/dev/null 2>&1 || need="$need clang-format-14"
fi
[ -z "$need" ] && exit 0
cmd="apt-get install -y$need"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "accord: installing missing Debian packages:$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	apt-get install -y -qq $need >&2
else
	echo "accord: missing build dependencies:$need" >&2
	echo "accord: install them with: sudo $cmd" >&2
	exit 1
fi
