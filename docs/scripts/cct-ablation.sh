#!/usr/bin/env bash
# CCT ablation on FashionScenes (issue 4): supervised-only, CCT with every perturbation, and each
# perturbation type alone with K = 1, 2, 4 auxiliary decoders. Every row uses the same short protocol
# (200 labels, 500 iterations, labelled and unlabelled batches of 8, seed 42) so that the 23 runs fit in
# about an hour on 2 cores; two runs go at once with one thread each.
# Usage: docs/scripts/cct-ablation.sh [OUT_DIR]   (after mvn -B package -DskipTests)
set -euo pipefail
S=${SSLSEG_HOME:-distributions/target/sslseg}
OUT=${1:-runs/cct-ablation}
mkdir -p "$OUT"
COMMON=(--set train.iterations=500 --set train.batchSize=8 --set train.unlabeledBatchSize=8
        --set train.evalEvery=500 --set train.checkpointEvery=250 --set runtime.threads=1)

jobs=("supervised|none")
jobs+=("cct-all|[{type: vat, count: 1}, {type: dropout, count: 2}, {type: g-cutout, count: 1}, {type: context-mask, count: 1}, {type: object-mask, count: 1}, {type: feature-drop, count: 2}, {type: feature-noise, count: 2}]")
for p in vat dropout g-cutout context-mask object-mask feature-drop feature-noise; do
  for k in 1 2 4; do jobs+=("$p-k$k|[{type: $p, count: $k}]"); done
done

run_one() {
  local name=${1%%|*} perts=${1#*|}
  [[ -f "$OUT/$name/summary.json" ]] && return 0   # finished earlier: rerunning the script resumes the grid
  rm -rf "$OUT/$name"
  if [[ $perts == none ]]; then
    "$S/bin/sslseg" train --config "$S/configs/supervised-resnet.yaml" --set dataset.labeled=200 --run-dir "$OUT/$name" "${COMMON[@]}" \
      > "$OUT/$name.log" 2>&1
  else
    "$S/bin/sslseg" train --config "$S/configs/cct-resnet.yaml" --run-dir "$OUT/$name" "${COMMON[@]}" \
      --set "loss.terms=[{type: cct, perturbations: $perts}]" > "$OUT/$name.log" 2>&1
  fi
  echo "$name done"
}
export -f run_one; export S OUT; export COMMON_STR="${COMMON[*]}"
# bash cannot export arrays: rebuild COMMON inside each worker
printf '%s\0' "${jobs[@]}" | xargs -0 -P 2 -I{} bash -c 'COMMON=($COMMON_STR); run_one "$1"' _ {}

printf '| run | val mIoU | seconds |\n|---|---|---|\n' > "$OUT/table.md"
for j in "${jobs[@]}"; do
  n=${j%%|*}
  python3 - "$OUT/$n/summary.json" "$n" >> "$OUT/table.md" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {s['final_miou']:.3f} | {s['seconds_this_session']:.0f} |")
PY
done
cat "$OUT/table.md"
