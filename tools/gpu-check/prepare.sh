#!/usr/bin/env bash
# Packs what tools/gpu-check/setup.sh (for check.sh and sweep-augment.sh) needs on a bare GPU machine that has
# CUDA and a Python PyTorch but no Java, no network and a 64 MiB limit on what travels (the device machines lent
# to some sessions):
#   jre.tar.xz     a jlink'd Java 17 runtime (the modules the distribution uses)
#   sslseg.tar.xz  the distribution without pytorch-native-cpu, onnxruntime and the prebuilt JNI (unused there)
#   jni.tar.xz     DJL's PyTorch JNI sources at the DJL version in lib/, with the JNI headers, to be compiled there
#   fm/*.xz        Fashion-MNIST's idx files, so the runs use the full dataset as they do here
# Usage: tools/gpu-check/prepare.sh DJL_CHECKOUT [OUT_DIR]   (OUT_DIR defaults to .gpu, which git must ignore)
set -euo pipefail
djl=${1:?usage: prepare.sh DJL_CHECKOUT [OUT_DIR]}
out=${2:-.gpu}
dist=distributions/target/sslseg
[ -x "$dist/bin/sslseg" ] || { echo "build the distribution first: mvn -B package -DskipTests" >&2; exit 1; }
djl_version=$(ls $dist/lib/api-*.jar | sed 's/.*api-\(.*\)\.jar/\1/')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/fm"

jlink --add-modules java.base,java.compiler,java.desktop,java.logging,java.management,java.xml,jdk.unsupported,java.naming,java.sql,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --output "$work/jre0"
tar cf - -C "$work" jre0 | xz -T0 -9 > "$out/jre.tar.xz"

mkdir -p "$work/sslseg/lib"
cp -r $dist/bin $dist/configs $dist/plugins "$work/sslseg/"
ls $dist/lib/*.jar | grep -v 'pytorch-native\|onnxruntime' | xargs -I{} cp {} "$work/sslseg/lib/"
# the prebuilt JNI libraries are replaced by the one compiled there: keep only the jar's version properties
zip -q -d "$work"/sslseg/lib/pytorch-jni-*.jar 'jnilib/*/*'
tar cf - -C "$work" sslseg | xz -T0 -9 > "$out/sslseg.tar.xz"

# The prebuilt JNI only works with the libtorch it was built for; compiling DJL's own sources at the same tag
# against the machine's libtorch makes the Java side and the native side agree.
src=$work/jni
mkdir -p "$src/src" "$src/include/djl" "$work/classes"
git -C "$djl" archive "v$djl_version" engines/pytorch/pytorch-native/src/main/native api/src/main/native/djl \
  engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java | tar x -C "$work"
cp "$work"/engines/pytorch/pytorch-native/src/main/native/* "$src/src/"
cp "$work"/api/src/main/native/djl/* "$src/include/djl/"
javac -proc:none -h "$src/include" -d "$work/classes" -cp "$dist/lib/*" \
  "$work/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
cp "$jdk/include/jni.h" "$jdk/include/linux/jni_md.h" "$src/include/"
tar cf - -C "$work" jni | xz -9 > "$out/jni.tar.xz"

for f in /usr/share/datasets/fashion-mnist/*.gz; do
  zcat "$f" | xz -T0 -9e > "$out/fm/$(basename "$f" .gz).xz"
done
du -cb "$out"/*.xz "$out"/fm/*.xz | tail -1
