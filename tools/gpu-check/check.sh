#!/usr/bin/env bash
# Proves and times sslseg's GPU path on a device machine (see docs/gpu.md). Run from the repo root there, with
# .gpu/ made by tools/gpu-check/prepare.sh carried along; everything it prints also goes to $OUT/log.txt.
# After setup.sh (DJL's JNI built against the machine's Python PyTorch): bench train-step for five shipped configs,
# the default supervised run in full, its checkpoint evaluated on the GPU and on the CPU, and the CCT run.
# Runs go one at a time: five trainings sharing the GPU ran 13x slower each than one alone.
. "$(dirname "$0")/setup.sh"

bench() { # name, config, extra args
  local name=$1 cfg=$2; shift 2
  stage "bench $name"
  timeout 90 $S/bin/sslseg bench train-step --config $S/configs/$cfg $FM --set runtime.device=gpu "$@" \
    || { echo "rc=$? - again with --verbose"; timeout 90 $S/bin/sslseg bench train-step --verbose \
         --config $S/configs/$cfg $FM --set runtime.device=gpu "$@" 2>&1 | grep -v DEBUG | tail -60; }
}
bench supervised-b16 supervised.yaml --steps 30
bench supervised-b8 supervised.yaml --steps 30 --set train.batchSize=8
bench supervised-200 supervised-200.yaml --steps 30
bench resnet supervised-resnet.yaml --steps 30
bench cct cct.yaml --steps 30

train() { # name, config
  stage "train $2 on the GPU"
  timeout 240 $S/bin/sslseg train --config $S/configs/$2 $FM --set runtime.device=gpu --run-dir $W/runs/$1 > $W/$1.out 2>&1
  echo "rc=$?"
  grep -v '^\(train\|eval\) \[' $W/$1.out | tail -25
  cp $W/runs/$1/metrics.jsonl "$OUT/$1-metrics.jsonl" 2>/dev/null
}
(nvidia-smi --query-gpu=memory.used --format=csv,noheader -lms 500 > "$OUT/gpu-mem.csv" 2>/dev/null &)
train sup supervised.yaml
stage "eval its best checkpoint on the GPU, then on the CPU"
timeout 60 $S/bin/sslseg eval $W/runs/sup 2>&1 | grep '^checkpoint\|^mIoU'
timeout 120 $S/bin/sslseg eval --device cpu $W/runs/sup 2>&1 | grep '^checkpoint\|^mIoU'
train cct cct.yaml
pkill -f 'nvidia-smi --query-gpu=memory.used'
echo "peak GPU memory used: $(sort -n "$OUT/gpu-mem.csv" 2>/dev/null | tail -1)"
stage done
