#!/usr/bin/env bash
# Sourced by check.sh and sweep-augment.sh on a device machine, from the repo root, with .gpu/ (made by
# prepare.sh) carried along. Unpacks the Java runtime, the distribution and Fashion-MNIST, builds DJL's JNI
# against the machine's Python PyTorch and exports what DJL needs; leaves S (the distribution), W (the work
# folder), FM (the --set that points FashionScenes at the full Fashion-MNIST) and stage(). Everything printed
# also goes to $OUT/log.txt. On a machine still warm from an earlier call it keeps the runtime and the JNI and
# unpacks only the distribution, which may be newer.
set -u
OUT=${OUT:-/tmp/gpu-check-out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
t0=$(date +%s)
stage() { echo; echo "=== $1 (t=$(( $(date +%s) - t0 )) s)"; }
W=/tmp/gpu-check
S=$W/sslseg
FM="--set dataset.source=$W/fm"

# Trains one run of a screen in the foreground, unless LIMIT seconds (default 480) have passed since setup began, so
# that a call ends inside the device's 10-minute limit; prints its val mIoU by step. Usage: run NAME CONFIG --set...
# RUN_TIMEOUT (default 150 s) bounds one run; DEVICE (default gpu) and THREADS (default 4) say where it trains.
run() {
  local name=$1 cfg=$2; shift 2
  if [ $(( $(date +%s) - t0 )) -gt "${LIMIT:-480}" ]; then echo "skip $name: past LIMIT"; return; fi
  stage "train $name"
  timeout "${RUN_TIMEOUT:-150}" $S/bin/sslseg train --config $S/configs/$cfg $FM --set runtime.device=${DEVICE:-gpu} \
    --set runtime.threads=${THREADS:-4} "$@" --run-dir $W/runs/$name > $W/$name.out 2>&1
  echo "rc=$? $name ($(date +%s) s), val mIoU by step: $(grep -o '"step":[0-9]*,[^}]*"miou":[0-9.]*' \
    $W/runs/$name/metrics.jsonl | sed 's/"step"://;s/,.*"miou":/:/' | tr '\n' ' ')"
  grep -v '^\(train\|eval\) \[' $W/$name.out | grep -i 'error\|exception\|^done:' | head -5
}

if [ -f $W/djl.env ]; then
  stage "reuse this machine's runtime and JNI"
  . $W/djl.env
  rm -rf $S && xz -dc .gpu/sslseg.tar.xz | tar xf - -C $W
  return 0
fi

stage env
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
TORCH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
python3 -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, "cxx11abi", torch._C._GLIBCXX_USE_CXX11_ABI)'
TORCH_VERSION=$(python3 -c 'import torch;print(torch.__version__.split("+")[0])')
CUDA_FLAVOR=cu$(python3 -c 'import torch;print(torch.version.cuda.replace(".",""))')

stage unpack
rm -rf $W && mkdir -p $W/fm
xz -dc .gpu/jre.tar.xz | tar xf - -C $W
xz -dc .gpu/sslseg.tar.xz | tar xf - -C $W
xz -dc .gpu/jni.tar.xz | tar xf - -C $W
for f in .gpu/fm/*.xz; do xz -dc "$f" > "$W/fm/$(basename "$f" .xz)"; done
export JAVA_HOME=$W/jre0

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
cat > $W/djl.env <<ENV
export JAVA_HOME=$JAVA_HOME PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH PYTORCH_LIBRARY_EXCLUSION=$PYTORCH_LIBRARY_EXCLUSION
export DJL_CACHE_DIR=$DJL_CACHE_DIR PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR
ENV
