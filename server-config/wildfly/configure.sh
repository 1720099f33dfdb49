#!/bin/sh
# Configures a WildFly server for appmetrica-loader, on the server's machine, as the user the server runs as:
#   1. makes the server's configuration directory and the loader's data directory private (700): WildFly rewrites
#      standalone.xml and the credential store with its own umask, so only the directories can keep them private;
#   2. masks the credential store's password (elytron-tool mask; the password goes through a pipe, never on a
#      command line), so standalone.xml never holds it in clear;
#   3. runs configure.cli (next to this script) against the running server.
#
#   JBOSS_HOME=/opt/wildfly APPMETRICA_TOKEN=... CREDENTIAL_STORE_PASSWORD=... server-config/wildfly/configure.sh [jboss-cli options]
#
# jboss-cli options default to --connect (the server at 127.0.0.1:9990), e.g. --connect --controller=127.0.0.1:10090.
# JBOSS_BASE_DIR: the server's base directory (default $JBOSS_HOME/standalone). Other inputs: see configure.cli.
# CREDENTIAL_STORE_PASSWORD may be given masked already (MASK-...;salt;iterations): it is then used as it is.
# REPOSITORY_URL=jdbc:postgresql://HOST:PORT/DB (with REPOSITORY_USER, REPOSITORY_PASSWORD): the job repository on
# PostgreSQL instead of an H2 file (see repository-postgresql.cli).
set -eu
: "${JBOSS_HOME:?set JBOSS_HOME to the WildFly installation}"
: "${CREDENTIAL_STORE_PASSWORD:?set CREDENTIAL_STORE_PASSWORD, the password of the credential store (kept or created)}"
base=${JBOSS_BASE_DIR:-$JBOSS_HOME/standalone}
here=$(cd "$(dirname "$0")" && pwd)
umask 077

private_dir() {
    if [ -d "$1" ]; then
        chmod 700 "$1"
    else
        mkdir -p -m 700 "$1"
        chown --reference="$base" "$1" # owned like the server's base directory (this script may run as root)
    fi
}
private_dir "$base/configuration"
private_dir "$base/data/appmetrica"

case $CREDENTIAL_STORE_PASSWORD in
MASK-*) masked=$CREDENTIAL_STORE_PASSWORD ;;
*)
    salt=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
    masked=$(printf '%s\n%s\n' "$CREDENTIAL_STORE_PASSWORD" "$CREDENTIAL_STORE_PASSWORD" \
        | "$JBOSS_HOME/bin/elytron-tool.sh" mask --salt "$salt" --iteration 10000 | tail -n 1)
    ;;
esac
case $masked in
MASK-*) ;;
*) echo "configure.sh: elytron-tool could not mask CREDENTIAL_STORE_PASSWORD" >&2; exit 1 ;;
esac

[ $# -gt 0 ] || set -- --connect
# configure.cli ends with `reload`, which waits for the server to come back for jboss-cli's connection timeout + 1 s:
# 6 s by default, too short for a server reloading on a busy machine. 2 minutes unless the options name a timeout.
case " $* " in
*" --timeout="*) ;;
*) set -- "$@" --timeout=120000 ;;
esac
if [ -n "${REPOSITORY_URL:-}" ]; then
    # the job repository on PostgreSQL (repository-postgresql.cli) before configure.cli would make its H2 file
    CREDENTIAL_STORE_PASSWORD=$masked "$JBOSS_HOME/bin/jboss-cli.sh" "$@" --file="$here/repository-postgresql.cli"
fi
CREDENTIAL_STORE_PASSWORD=$masked exec "$JBOSS_HOME/bin/jboss-cli.sh" "$@" --file="$here/configure.cli"
