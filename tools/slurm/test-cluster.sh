#!/usr/bin/env bash
# A single-node Slurm cluster for the tests, started as root without systemd (containers included):
#   tools/slurm/test-cluster.sh start   # writes $SSLSEG_SLURM_DIR/slurm.conf, starts slurmctld and slurmd
#   tools/slurm/test-cluster.sh stop
# Point Slurm's commands at it with: export SLURM_CONF=$SSLSEG_SLURM_DIR/slurm.conf
# (default folder /tmp/sslseg-slurm). Needs Debian's slurmctld, slurmd and slurm-client.
set -euo pipefail
dir="${SSLSEG_SLURM_DIR:-/tmp/sslseg-slurm}"
conf="$dir/slurm.conf"

start() {
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  # auth/none and cred/none: a test cluster on one machine needs no munge key; proctrack/linuxproc and task/none
  # work without cgroups; config_overrides lets the node differ from what is declared.
  cat > "$conf" <<CONF
ClusterName=sslseg-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=${SSLSEG_SLURMCTLD_PORT:-6917}
SlurmdPort=${SSLSEG_SLURMD_PORT:-6918}
AuthType=auth/none
CredType=cred/none
# a requeued job waits cred_expire seconds before it may start again (120 by default): short on a test cluster
AuthInfo=cred_expire=15
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SlurmdParameters=config_overrides
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobRequeue=1
MinJobAge=3600
KillWait=30
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$conf"
  stop quietly
  slurmctld -f "$conf"
  slurmd -f "$conf" -N localhost
  for _ in $(seq 60); do
    state="$(sinfo -h -o '%T' 2>/dev/null || true)" # no pipe into grep -q: under pipefail an early exit could fail it
    if [[ "$state" =~ (idle|mixed|allocated) ]]; then
      echo "slurm test cluster up: SLURM_CONF=$conf"
      sinfo
      return 0
    fi
    sleep 1
  done
  echo "slurm test cluster did not come up; logs in $dir/log" >&2
  tail -20 "$dir/log/"*.log >&2 || true
  return 1
}

stop() {
  for pid in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
    if [ -f "$pid" ]; then
      kill "$(cat "$pid")" 2>/dev/null || true
      rm -f "$pid"
    fi
  done
  [ "${1:-}" = quietly ] || echo "slurm test cluster stopped"
  sleep 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
