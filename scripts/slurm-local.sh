#!/usr/bin/env bash
# Start (or reuse) a real single-node Slurm on this machine, for trying `misgen sweep run --executor slurm`
# without a cluster. Idempotent: installs slurm-wlm and munge with apt-get if missing (needs root),
# starts munged, writes slurm.conf under a scratch folder and starts slurmctld + slurmd.
#
#   scripts/slurm-local.sh            # start; prints SLURM_CONF and the scratch folder
#   scripts/slurm-local.sh stop       # stop the daemons it started (by the PIDs in their pid files)
#
# Scratch folder: $MISGEN_SLURM_DIR, default /tmp/misgen-slurm. After starting, use
#   export SLURM_CONF=<scratch>/slurm.conf
# (the script also links /etc/slurm/slurm.conf to it when that file does not exist, so plain `sinfo` works).
set -euo pipefail

D="${MISGEN_SLURM_DIR:-/tmp/misgen-slurm}"
H="$(hostname -s)"
CONF="$D/slurm.conf"

say() { echo "slurm-local: $*" >&2; }

stop() {
  for pidfile in "$D/slurmd.pid" "$D/slurmctld.pid"; do
    if [ -s "$pidfile" ]; then
      pid="$(cat "$pidfile")"
      if kill -0 "$pid" 2>/dev/null; then kill "$pid" && say "stopped pid $pid ($pidfile)"; fi
      rm -f "$pidfile"
    fi
  done
}

if [ "${1:-start}" = "stop" ]; then stop; exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  say "installing slurm-wlm and munge (apt-get)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq slurm-wlm munge >/dev/null
fi

# munge: key owned by munge, mode 400; daemon started once.
if [ ! -s /etc/munge/munge.key ]; then as_root /usr/sbin/mungekey --create 2>/dev/null || as_root create-munge-key -f; fi
as_root chown munge:munge /etc/munge/munge.key
as_root chmod 400 /etc/munge/munge.key
as_root mkdir -p /run/munge
as_root chown munge:munge /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "starting munged"
  as_root su -s /bin/sh munge -c /usr/sbin/munged
  for _ in $(seq 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.25; done
fi
munge -n | unmunge | grep -q "STATUS: *Success" || { say "munge does not work"; exit 1; }

mkdir -p "$D/state" "$D/spool" "$D/log"
CPUS="$(nproc)"
MEM_MB="$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)"
cat > "$CONF.new" <<CONF
ClusterName=local
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
NodeName=$H CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
mv "$CONF.new" "$CONF"
if [ ! -e /etc/slurm/slurm.conf ] && [ "$(id -u)" = 0 ]; then mkdir -p /etc/slurm; ln -s "$CONF" /etc/slurm/slurm.conf; fi
export SLURM_CONF="$CONF"

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! running "$D/slurmctld.pid"; then say "starting slurmctld"; as_root env SLURM_CONF="$CONF" slurmctld -f "$CONF"; fi
if ! running "$D/slurmd.pid"; then say "starting slurmd"; as_root env SLURM_CONF="$CONF" slurmd -f "$CONF"; fi

for _ in $(seq 60); do
  if sinfo -h -o "%T" 2>/dev/null | grep -qE "idle|mixed|allocated"; then
    say "ready: node $H, $CPUS cpus, ${MEM_MB} MB, partition debug"
    say "config and state in $D; logs in $D/log"
    echo "export SLURM_CONF=$CONF"
    exit 0
  fi
  # A node left DOWN by an earlier run comes back with ReturnToService=2 once slurmd registers; nudge it.
  scontrol update nodename="$H" state=resume >/dev/null 2>&1 || true
  sleep 0.5
done
say "slurm did not become ready; see $D/log"
sinfo || true
exit 1
