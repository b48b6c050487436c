#!/usr/bin/env bash
# The GPU screen for a short semi-supervised demo (README's main command; docs/results.md): supervised against
# Mean Teacher (semi-200.yaml's term) at few labels and short schedules, where the 2-core CPU could run both in
# under 10 minutes. The GPU trains one run at a time (see check.sh); the machine's other cores train a second
# seed of the same pairs on the CPU at the same time (its Python libtorch, 2 threads each), so one call screens two
# seeds. Usage, on the device machine: OUT=$OUT LIMIT=460 bash tools/gpu-check/sweep-semi.sh
. "$(dirname "$0")/setup.sh"

W16="--set model.encoder.width=16 --set model.decoder.width=16"
pair() { # name, labels, steps, seed, extra --set...: supervised and Mean Teacher on the same budget
  local name=$1 labels=$2 steps=$3 seed=$4; shift 4
  local common="--set dataset.labeled=$labels --set train.iterations=$steps --set seed=$seed --set train.evalEvery=250"
  run sup-$name supervised-200.yaml $common "$@"
  run mt-$name semi-200.yaml $common "$@"
}

# seed 2 on the CPU cores, in the background: 4 runs at 2 threads each
(
  export DEVICE=cpu THREADS=2 RUN_TIMEOUT=$(( ${LIMIT:-460} + 20 )) LIMIT=100000
  pair l50w16-2000-s2 50 2000 2 $W16 > $W/cpu-a.txt 2>&1 &
  pair l100w16-2000-s2 100 2000 2 $W16 > $W/cpu-b.txt 2>&1 &
  wait
) &
cpu=$!

pair l50w16-2000-s1 50 2000 1 $W16
pair l100w16-2000-s1 100 2000 1 $W16
pair l50w32-1200-s1 50 1200 1
pair l200w16-2000-s1 200 2000 1 $W16

stage "CPU runs (seed 2), cut at LIMIT"
sleep $(( ${LIMIT:-460} + 20 - ($(date +%s) - t0) > 0 ? ${LIMIT:-460} + 20 - ($(date +%s) - t0) : 0 ))
pkill -f 'sslseg.*runtime.device=cpu' ; wait $cpu
cat $W/cpu-a.txt $W/cpu-b.txt
for r in $W/runs/*-s2; do echo "$(basename $r): $(grep -o '"step":[0-9]*,[^}]*"miou":[0-9.]*' $r/metrics.jsonl \
  | sed 's/"step"://;s/,.*"miou":/:/' | tr '\n' ' ')"; done
tar czf "$OUT/metrics.tgz" -C $W runs --exclude '*.ckpt*' --exclude '*.params' 2>/dev/null
stage done
