#!/usr/bin/env bash
# Proves and times sslseg's GPU path on a device machine (see docs/gpu.md). Run from the repo root there, with
# .gpu/ made by tools/gpu-check/prepare.sh carried along; everything it prints also goes to $OUT/log.txt.
# It builds DJL's JNI against the machine's Python PyTorch, then: bench train-step for five shipped configs,
# the default supervised run in full, its checkpoint evaluated on the GPU and on the CPU, and the CCT run.
# Runs go one at a time: five trainings sharing the GPU ran 13x slower each than one alone.
set -u
OUT=${OUT:-/tmp/gpu-check-out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
t0=$(date +%s)
stage() { echo; echo "=== $1 (t=$(( $(date +%s) - t0 )) s)"; }

stage env
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
TORCH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
python3 -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, "cxx11abi", torch._C._GLIBCXX_USE_CXX11_ABI)'
TORCH_VERSION=$(python3 -c 'import torch;print(torch.__version__.split("+")[0])')
CUDA_FLAVOR=cu$(python3 -c 'import torch;print(torch.version.cuda.replace(".",""))')

stage unpack
W=/tmp/gpu-check
rm -rf $W && mkdir -p $W/fm
xz -dc .gpu/jre.tar.xz | tar xf - -C $W
xz -dc .gpu/sslseg.tar.xz | tar xf - -C $W
xz -dc .gpu/jni.tar.xz | tar xf - -C $W
for f in .gpu/fm/*.xz; do xz -dc "$f" > "$W/fm/$(basename "$f" .xz)"; done
export JAVA_HOME=$W/jre0
S=$W/sslseg

stage "build DJL's JNI against this libtorch"
CUDA_INC=$(dirname "$( (ls /usr/local/cuda/include/cuda_runtime_api.h; find /usr/local /opt -name cuda_runtime_api.h) 2>/dev/null | head -1)")
(cd $W/jni && ls src/*.cc | xargs -P "$(nproc)" -I{} sh -c "g++ -c -O1 -fPIC -std=c++17 -D_GLIBCXX_USE_CXX11_ABI=1 -DUSE_CUDA -w \
    -Iinclude -Isrc -I$TORCH/include -I$TORCH/include/torch/csrc/api/include -I$CUDA_INC {} -o {}.o 2> {}.err || echo FAILED {}"
  for e in src/*.err; do [ -s "$e" ] && { echo "--- $e"; head -c 3000 "$e"; }; done
  g++ -shared -o libdjl_torch.so src/*.o -L"$TORCH/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -ltorch_cuda -lc10 -lc10_cuda \
    -Wl,-rpath,"$TORCH/lib")
# DJL takes libtorch from PYTORCH_LIBRARY_PATH and the JNI from its cache, named by version, flavor and DJL version
export PYTORCH_LIBRARY_PATH=$TORCH/lib PYTORCH_LIBRARY_EXCLUSION=libtorch_python.so
export DJL_CACHE_DIR=$W/djl PYTORCH_VERSION=$TORCH_VERSION PYTORCH_FLAVOR=$CUDA_FLAVOR
djl_version=$(ls $S/lib/api-*.jar | sed 's/.*api-\(.*\)\.jar/\1/')
mkdir -p $DJL_CACHE_DIR/pytorch/$TORCH_VERSION-$CUDA_FLAVOR-linux-x86_64
cp $W/jni/libdjl_torch.so $DJL_CACHE_DIR/pytorch/$TORCH_VERSION-$CUDA_FLAVOR-linux-x86_64/$djl_version-libdjl_torch.so
FM="--set dataset.source=$W/fm"

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
