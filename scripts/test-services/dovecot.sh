#!/usr/bin/env bash
# Throw-away Dovecot (IMAP) server for the tests and benches, on free ports of 127.0.0.1.
#   dovecot.sh start DIR -> once it answers, prints KEY=VALUE lines (shell-safe, `eval` works):
#       IMAP_HOST=127.0.0.1  IMAP_PORT=<plain>  IMAPS_PORT=<TLS, self-signed>
#       IMAP_USERNAME=...    IMAP_PASSWORD=...  DOVECOT_PID=<master pid>
#   dovecot.sh stop DIR  -> stops it and waits (does nothing when it never started)
# Environment (optional):
#   DOVECOT_USER (helpdesk@example.test)  DOVECOT_PASSWORD (random)  DOVECOT_BIN (/usr/sbin/dovecot)
#   DOVECOT_WATCH_PID: stop the server once that process is gone, so a test runner that is killed
#     hard leaves no server behind.
#   DOVECOT_IMAP_PORT, DOVECOT_IMAPS_PORT: these ports instead of free ones (a restart of a stopped
#     server on its DIR, as clients knew it; with DOVECOT_USER and DOVECOT_PASSWORD as before).
# Works as root (CI) and as an ordinary user; several servers may run side by side.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
bin=${DOVECOT_BIN:-/usr/sbin/dovecot}

# A zombie (exited, not yet reaped by whoever inherited it) counts as gone.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null || true)
  [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}

# Only signal a pid that is still our dovecot: pids get reused.
ours() {
  alive "$1" && ps -o args= -p "$1" 2>/dev/null | grep -qF -- "$dir/dovecot.conf"
}

# Fast stop. A graceful SIGTERM makes the master sleep a fixed second after signalling its children;
# the data is throw-away, so every process is killed instead. The master is frozen first: it forks
# new processes (an imap process for a connection that just came in) at any time, and a child forked
# after the list below would outlive the stop, keep its client's connection open and hold the ports.
# An imap process whose master died also keeps serving its client until it logs out, so children are
# killed, not left to exit by themselves. Then we wait until all of them are gone.
stop_server() {
  local pid=$1 kids i p left
  ours "$pid" || return 0
  kill -STOP "$pid" 2>/dev/null || true
  kids=$(ps -o pid= --ppid "$pid" 2>/dev/null | tr '\n' ' ' || true)
  for p in $kids; do kill -KILL "$p" 2>/dev/null || true; done
  kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 400); do
    left=0
    for p in $pid $kids; do if alive "$p"; then left=1; break; fi; done
    [ "$left" -eq 0 ] && return 0
    sleep 0.025
  done
  echo "dovecot.sh: dovecot processes of $pid still running 10 s after SIGKILL" >&2
  return 1
}

case "$cmd" in
  start)
    command -v "$bin" >/dev/null || { echo "dovecot.sh: $bin not found (apt-get install dovecot-imapd)" >&2; exit 1; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/dovecot.pid" ] && ours "$(cat "$dir/dovecot.pid")"; then
      echo "dovecot.sh: a server from $dir is already running" >&2; exit 1
    fi
    mkdir -p "$dir/run" "$dir/state" "$dir/home"

    login=${DOVECOT_USER:-helpdesk@example.test}
    pass=${DOVECOT_PASSWORD:-$(openssl rand -hex 12)}
    # both go into the config file and the output unquoted
    [[ $login =~ ^[A-Za-z0-9@._+-]+$ ]] || { echo "dovecot.sh: DOVECOT_USER may only hold A-Z a-z 0-9 @ . _ + -" >&2; exit 1; }
    [[ $pass =~ ^[A-Za-z0-9._-]+$ ]] || { echo "dovecot.sh: DOVECOT_PASSWORD may only hold A-Z a-z 0-9 . _ -" >&2; exit 1; }

    if [ "$(id -u)" -eq 0 ]; then
      # Dovecot refuses root for its login and internal processes and uid 0 as mail owner: use the
      # package's users for the daemons and nobody:nogroup for the mail.
      login_user=dovenull internal_user=dovecot internal_group=dovecot
      mail_user=nobody mail_group=nogroup
      chown "$mail_user:$mail_group" "$dir/home"
      chmod 755 "$dir" # mktemp -d makes 0700
      runuser -u "$mail_user" -- test -w "$dir/home" \
        || { echo "dovecot.sh: $dir (or a parent) cannot be entered by $mail_user" >&2; exit 1; }
    else
      login_user=$(id -un) internal_user=$(id -un) internal_group=$(id -gn)
      mail_user=$(id -un) mail_group=$(id -gn)
    fi

    if [ ! -f "$dir/cert.pem" ]; then
      # EC rather than RSA: generated in milliseconds
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
        -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>"$dir/openssl.log" \
        || { cat "$dir/openssl.log" >&2; echo "dovecot.sh: could not make a certificate" >&2; exit 1; }
    fi

    greeting="helpdesk-test-$(openssl rand -hex 8)"
    for attempt in 1 2 3 4 5; do
      # Free ports: the kernel picks two, node releases them for dovecot. Another process may take
      # one in between; dovecot then fails to bind and we try again with new ones.
      if [ -n "${DOVECOT_IMAP_PORT:-}" ] && [ -n "${DOVECOT_IMAPS_PORT:-}" ]; then
        imap_port=$DOVECOT_IMAP_PORT imaps_port=$DOVECOT_IMAPS_PORT
      else
      read -r imap_port imaps_port < <(node -e "
        const net = require('net');
        const a = net.createServer().listen(0, '127.0.0.1', () => {
          const b = net.createServer().listen(0, '127.0.0.1', () => {
            console.log(a.address().port, b.address().port); a.close(); b.close();
          });
        });")
      fi
      sed -e "s#@DIR@#$dir#g" -e "s#@GREETING@#$greeting#g" \
          -e "s#@INTERNAL_USER@#$internal_user#g" -e "s#@INTERNAL_GROUP@#$internal_group#g" \
          -e "s#@LOGIN_USER@#$login_user#g" -e "s#@MAIL_USER@#$mail_user#g" -e "s#@MAIL_GROUP@#$mail_group#g" \
          -e "s#@LOGIN@#$login#g" -e "s#@PASS@#$pass#g" \
          -e "s#@IMAP_PORT@#$imap_port#g" -e "s#@IMAPS_PORT@#$imaps_port#g" \
          "$here/dovecot.conf.tmpl" >"$dir/dovecot.conf"
      chmod 600 "$dir/dovecot.conf" # holds the password; only the master (root or us) reads it
      : >"$dir/dovecot.log"

      # -F: stays in the foreground, so $! is the master; its output must not hold our stdout open.
      "$bin" -c "$dir/dovecot.conf" -F </dev/null >"$dir/stdout.log" 2>&1 &
      pid=$!
      echo "$pid" >"$dir/dovecot.pid"

      # Ready once the plain port greets with our greeting (both listeners are bound together).
      ready=0
      deadline=$((SECONDS + 10))
      while [ "$SECONDS" -lt "$deadline" ] && alive "$pid"; do
        if { exec 3<>"/dev/tcp/127.0.0.1/$imap_port"; } 2>/dev/null; then
          line=''
          IFS= read -r -t 2 line <&3 || true
          exec 3<&- 3>&-
          if [[ $line == "* OK "*"$greeting"* ]]; then ready=1; break; fi
        fi
        sleep 0.02
      done
      [ "$ready" -eq 1 ] && break

      if ! alive "$pid" && grep -qi 'address already in use' "$dir/stdout.log" "$dir/dovecot.log"; then
        if [ -n "${DOVECOT_IMAP_PORT:-}" ]; then
          # the given ports: another process holds one of them; give it a moment before trying again
          echo "dovecot.sh: port $imap_port or $imaps_port is in use, trying again" >&2
          sleep 0.5
        else
          echo "dovecot.sh: port $imap_port or $imaps_port was taken meanwhile, trying others" >&2
        fi
        continue
      fi
      stop_server "$pid"
      rm -f "$dir/dovecot.pid"
      echo "dovecot.sh: dovecot did not come up (waited up to 10 s); logs follow" >&2
      cat "$dir/stdout.log" "$dir/dovecot.log" >&2 || true
      exit 1
    done
    [ "$ready" -eq 1 ] || { echo "dovecot.sh: found no free ports in 5 attempts" >&2; exit 1; }

    if [ -n "${DOVECOT_WATCH_PID:-}" ]; then
      "$here/dovecot.sh" watch "$dir" "$pid" "$DOVECOT_WATCH_PID" </dev/null >/dev/null 2>&1 &
      echo $! >"$dir/watchdog.pid"
    fi

    echo "IMAP_HOST=127.0.0.1"
    echo "IMAP_PORT=$imap_port"
    echo "IMAPS_PORT=$imaps_port"
    echo "IMAP_USERNAME=$login"
    echo "IMAP_PASSWORD=$pass"
    echo "DOVECOT_PID=$pid"
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/watchdog.pid" ]; then
      watchdog=$(cat "$dir/watchdog.pid")
      # only if that pid is still our watchdog
      if ps -o args= -p "$watchdog" 2>/dev/null | grep -qF -- "dovecot.sh watch $dir "; then
        kill "$watchdog" 2>/dev/null || true
      fi
      rm -f "$dir/watchdog.pid"
    fi
    [ -f "$dir/dovecot.pid" ] || exit 0
    stop_server "$(cat "$dir/dovecot.pid")"
    # Dovecot refuses to start while master.pid names a live process, and our killed master may be a
    # zombie its new parent has not reaped yet: a start right after this stop would fail.
    rm -f "$dir/dovecot.pid" "$dir/run/master.pid"
    ;;
  watch)
    # internal (see DOVECOT_WATCH_PID): dovecot.sh watch DIR DOVECOT_PID WATCHED_PID
    [ $# -eq 4 ] || usage
    while alive "$4" && alive "$3"; do sleep 1; done
    stop_server "$3"
    ;;
  *) usage ;;
esac
