#!/usr/bin/env bash
# postfix-test-relay.sh: a real Postfix for okcare's mail tests. It installs
# Debian's postfix package if missing ("Local only", non-interactive), adds
# an SMTP service on loopback only (OKCARE_TEST_RELAY, default
# 127.0.0.1:2525; the port 25 service is left as it is) and delivers all
# mail for the test domain (OKCARE_TEST_MAIL_DOMAIN, default okcare.test)
# into one Maildir (OKCARE_TEST_MAILDIR, default
# /var/mail/okcare-test/maildir/), then starts Postfix if it is not running.
#
# Running it again on a machine already set up only starts Postfix.
set -euo pipefail

relay=${OKCARE_TEST_RELAY:-127.0.0.1:2525}
domain=${OKCARE_TEST_MAIL_DOMAIN:-okcare.test}
maildir=${OKCARE_TEST_MAILDIR:-/var/mail/okcare-test/maildir/}
maildir=${maildir%/}/
base=$(dirname "$maildir")
box=$(basename "$maildir")/

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

if ! [ -x /usr/sbin/postfix ]; then
	echo "== installing Postfix (Local only)"
	printf '%s\n' \
		"postfix postfix/main_mailer_type select Local only" \
		"postfix postfix/mailname string $(hostname -f 2>/dev/null || hostname)" |
		as_root debconf-set-selections
	as_root apt-get update -qq >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi

# Delivered files belong to the user running the tests, so the tests can
# read them; Postfix's virtual agent never delivers as root, so a root
# caller gets a system user of its own.
uid=$(id -u) gid=$(id -g)
if [ "$uid" = 0 ]; then
	id okcare-mail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin okcare-mail
	uid=$(id -u okcare-mail) gid=$(id -g okcare-mail)
fi

changed=
if ! as_root postconf -P "$relay/inet/strict_rfc821_envelopes" 2>/dev/null | grep -q yes; then
	echo "== configuring Postfix: $relay -> $maildir"
	changed=1
	as_root postconf -e \
		"virtual_mailbox_domains = $domain" \
		"virtual_mailbox_base = $base" \
		"virtual_mailbox_maps = static:$box" \
		"virtual_uid_maps = static:$uid" \
		"virtual_gid_maps = static:$gid" \
		"virtual_minimum_uid = $(( uid < 100 ? uid : 100 ))"
	# Loopback only, no TLS (nothing leaves the host), not chrooted (the
	# chroot needs files copied in by an init system containers lack), and
	# as strict about envelope addresses as the relays that answer
	# "MAIL FROM:<Name <addr>>" with 501 (Postfix's default forgives it).
	as_root postconf -M "$relay/inet=$relay inet n - n - - smtpd"
	as_root postconf -P \
		"$relay/inet/strict_rfc821_envelopes=yes" \
		"$relay/inet/smtpd_tls_security_level=none" \
		"$relay/inet/mynetworks=127.0.0.0/8" \
		"$relay/inet/smtpd_client_restrictions=permit_mynetworks,reject"
fi
as_root mkdir -p "$base"
as_root chown "$uid:$gid" "$base"

if as_root postfix status >/dev/null 2>&1; then
	[ -z "$changed" ] || as_root postfix reload >/dev/null 2>&1
else
	echo "== starting Postfix"
	as_root postfix start >/dev/null 2>&1
fi
host=${relay%:*} port=${relay##*:}
for _ in $(seq 1 50); do
	(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && exit 0
	sleep 0.2
done
echo "Postfix is not answering on $relay" >&2
exit 1
