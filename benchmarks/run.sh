#!/usr/bin/env bash
# Builds the benchmarks module and runs JMH from its classpath (no shaded jar). Holds the repo's Maven
# lock for the whole build-and-run, so no other build competes for the cores while it measures.
#
#   benchmarks/run.sh               the whole suite with the README's thread settings:
#                                   Dispatch* on OMP_NUM_THREADS=1; DenseBenchmark, Conv2dBenchmark,
#                                   PoolBenchmark, BatchNormBenchmark, LeNetBenchmark and MlpBenchmark on ND4J's
#                                   default (2 here); LeNet batch 64 again on 1 thread; OnnxInferenceBenchmark
#                                   (batch 1 and 64) on 1 thread; RbfBenchmark and KernelFitBenchmark (the kernel
#                                   plugin) on 1 thread; RecurrentBenchmark and AttentionBenchmark (the rnn and
#                                   attention plugins) on 1 thread
#   benchmarks/run.sh ARGS...       org.openjdk.jmh.Main ARGS, threads from your environment,
#                                   e.g.  OMP_NUM_THREADS=1 benchmarks/run.sh Dispatch -prof gc
#
# JSON results of the full suite go to benchmarks/target/jmh-*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>"${DENDRITE_MVN_LOCK:-/tmp/dendrite-mvn.lock}"
flock 9

jmh() {
    mvn -B -ntp -pl benchmarks -am -Pbench -DskipTests verify "-Djmh.args=$*"
}

if [ $# -gt 0 ]; then
    jmh "$@"
    exit
fi

OMP_NUM_THREADS=1 jmh Dispatch -rf json -rff jmh-dispatch.json
(unset OMP_NUM_THREADS; jmh DenseBenchmark -rf json -rff jmh-dense.json)
(unset OMP_NUM_THREADS; jmh Conv2dBenchmark -rf json -rff jmh-conv2d.json)
(unset OMP_NUM_THREADS; jmh PoolBenchmark -rf json -rff jmh-pool.json)
(unset OMP_NUM_THREADS; jmh BatchNormBenchmark -rf json -rff jmh-batchnorm.json)
(unset OMP_NUM_THREADS; jmh LeNetBenchmark -rf json -rff jmh-lenet.json)
(unset OMP_NUM_THREADS; jmh MlpBenchmark -rf json -rff jmh-mlp.json)
OMP_NUM_THREADS=1 jmh LeNetBenchmark -p batch=64 -rf json -rff jmh-lenet-1t.json
OMP_NUM_THREADS=1 jmh OnnxInferenceBenchmark -rf json -rff jmh-onnx.json
OMP_NUM_THREADS=1 jmh RbfBenchmark -rf json -rff jmh-rbf.json
OMP_NUM_THREADS=1 jmh KernelFitBenchmark -rf json -rff jmh-kernel-fit.json
OMP_NUM_THREADS=1 jmh RecurrentBenchmark -rf json -rff jmh-recurrent.json
OMP_NUM_THREADS=1 jmh AttentionBenchmark -rf json -rff jmh-attention.json
