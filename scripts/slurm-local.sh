#!/usr/bin/env bash
# Brings up a single-node Slurm on this machine from Debian's packages (slurm-wlm, munge), for
# the study's array-job test: munged, slurmctld and slurmd, with ProctrackType=proctrack/linuxproc
# and TaskPlugin=task/none (no cgroups needed). Idempotent: a running cluster is left alone.
# Needs root (apt-get, daemons); prints one line and exits 1 when it cannot provide Slurm.
#
#   scripts/slurm-local.sh        # then: sinfo, sbatch, squeue
set -euo pipefail

say() { echo "slurm-local: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
    say "needs root to install and start Slurm; the Slurm test will report that it did not run"
    exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq slurm-wlm munge >/dev/null
fi

host="$(hostname -s)"
if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    say "already running on $host"
    exit 0
fi

# munge: a key, then the daemon as the munge user.
if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge
if ! pgrep -x munged >/dev/null; then
    runuser -u munge -- /usr/sbin/munged
fi

cpus="$(nproc)"
memory_mb="$(awk '/MemTotal/ {print int($2 / 1024) - 512}' /proc/meminfo)"
mkdir -p /etc/slurm /var/spool/slurmd /var/spool/slurmctld /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
# Written by Blueprint's scripts/slurm-local.sh: one node, no cgroups, no accounting.
ClusterName=blueprint
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
pgrep -x slurmctld >/dev/null || slurmctld || { say "slurmctld did not start; see /var/log/slurm/slurmctld.log"; exit 1; }
pgrep -x slurmd >/dev/null || slurmd || { say "slurmd did not start; see /var/log/slurm/slurmd.log"; exit 1; }
for _ in $(seq 1 60); do
    state="$(sinfo -h -o '%T' 2>/dev/null | head -n1 || true)"
    case "$state" in
        idle*|mixed*|allocated*) say "ready: node $host, $cpus CPUs, partition local"; exit 0 ;;
        down*|drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 1
done
say "Slurm did not become ready; see /var/log/slurm/"
exit 1
