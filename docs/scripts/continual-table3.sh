#!/usr/bin/env bash
# The seed's Table 3 on FashionScenes (issue 7): one CCT run per labelled count, then five continual runs
# that all start from its best checkpoint with the same schedule and data (configs/continual-*.yaml):
# CCT continued, Seg-GAN, Seg-GAN + semi, Seg-GAN + semi + WSL, temporal ensembling.
# The continual runs go through a queue, PARALLEL at once (default 2) with one thread each, longest first.
# Rerunning the script skips finished runs and resumes half-finished ones from their last checkpoint.
# Usage: docs/scripts/continual-table3.sh OUT_DIR [LABELS...]   (after mvn -B package -DskipTests)
#   PSEUDO_LABELS=DIR  reuse another run's pseudo-labels for the WSL rows (else each makes its own first)
set -euo pipefail
S=${SSLSEG_HOME:-distributions/target/sslseg}
OUT=${1:?usage: continual-table3.sh OUT_DIR [LABELS...]}
shift
LABELS=("${@:-1000}")
mkdir -p "$OUT"

train() { # name, then sslseg train arguments
  local name=$1; shift
  [[ -f "$OUT/$name/summary.json" ]] && return 0
  if [[ -d "$OUT/$name" ]]; then
    "$S/bin/sslseg" train --resume "$OUT/$name" >> "$OUT/$name.log" 2>&1
  else
    "$S/bin/sslseg" train --run-dir "$OUT/$name" "$@" --set runtime.threads=1 > "$OUT/$name.log" 2>&1
  fi
  echo "$name done"
}
export -f train; export S OUT

jobs=()
for n in "${LABELS[@]}"; do
  train "cct-$n" --config "$S/configs/cct-resnet.yaml" --set dataset.labeled="$n"
  wsl=""
  if [[ -n ${PSEUDO_LABELS:-} ]]; then
    wsl="--set pseudoLabels.type=folder --set pseudoLabels.dir=$PSEUDO_LABELS"
  fi
  common="--init-from $OUT/cct-$n --set dataset.labeled=$n"
  jobs+=("continual-cct-$n --config $S/configs/continual-cct-resnet.yaml $common")   # K=10 decoders: the longest
done
for n in "${LABELS[@]}"; do
  common="--init-from $OUT/cct-$n --set dataset.labeled=$n"
  jobs+=("seg-gan-wsl-$n --config $S/configs/continual-seg-gan-wsl-resnet.yaml $common $wsl"
         "seg-gan-semi-$n --config $S/configs/continual-seg-gan-semi-resnet.yaml $common"
         "seg-gan-$n --config $S/configs/continual-seg-gan-resnet.yaml $common"
         "te-$n --config $S/configs/continual-te-resnet.yaml $common")
done
# word splitting of each job line is intended: paths here contain no spaces
printf '%s\n' "${jobs[@]}" | xargs -P "${PARALLEL:-2}" -I{} bash -c 'train {}'

{
  printf '| labelled | run | final val mIoU | best (step) | peak RSS MiB | seconds |\n|---|---|---|---|---|---|\n'
  for n in "${LABELS[@]}"; do
    for r in cct continual-cct seg-gan seg-gan-semi seg-gan-wsl te; do
      python3 - "$OUT/$r-$n/summary.json" "$r" "$n" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"| {sys.argv[3]} | {sys.argv[2]} | {s['final_miou']:.3f} | {s['best_miou']:.3f} ({s['best_step']}) "
      f"| {s['peak_rss_mb']} | {s['seconds_this_session']:.0f} |")
PY
    done
  done
} > "$OUT/table.md"
cat "$OUT/table.md"
