package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.testkit.LinearDecoderContext;
import org.junit.jupiter.api.Test;

/**
 * I-VAT on a linear decoder (a 1x1 conv, logits = W z per pixel), where everything is known in closed form:
 * the KL's gradient at z + xi·d is Wᵀ(q − p)/N per pixel, which for small xi is xi·Wᵀ(diag p − ppᵀ)W d / N,
 * i.e. the Hessian H applied to d.
 */
class VatTest {
    private static final int N = 2, D = 4, C = 3, S = 3;

    private static final float[][] W = {
        {1.0f, -0.5f, 0.8f, 0.2f},
        {-0.7f, 0.9f, 0.1f, -1.1f},
        {0.3f, 0.4f, -1.2f, 0.6f},
    };

    private static NDArray features(NDManager m, long seed, long... shape) {
        return SeededArrays.uniform(m, new SplitMix64(seed), new Shape(shape), 0, 1);
    }

    private static double[] perSampleNorms(float[] v, int n) {
        double[] norms = new double[n];
        int per = v.length / n;
        for (int i = 0; i < v.length; i++) {
            norms[i / per] += (double) v[i] * v[i];
        }
        for (int b = 0; b < n; b++) {
            norms[b] = Math.sqrt(norms[b]);
        }
        return norms;
    }

    /** r = out − z has L2 norm eps per sample; no parameter gradient is left; z still gets its gradient. */
    @Test
    void perturbationHasNormEpsPerSampleAndLeavesNoParameterGradient() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            LinearDecoderContext ctx = new LinearDecoderContext(m, gc, W, null, 0, 3);
            // features of 0.01: at the reference's xi = 1e-6, xi·d is then well above float32 resolution
            NDArray z = ScalarOps.mul(features(m, 1, N, D, S, S), 0.01);
            z.setRequiresGradient(true);
            NDArray out = new Vat(Vat.Params.DEFAULTS).apply(z, ctx);

            float[] r = out.sub(z).toFloatArray();
            for (double norm : perSampleNorms(r, N)) {
                assertEquals(2.0, norm, 1e-5, "|r_adv| = eps per sample");
            }
            for (float g : ctx.weight().getGradient().toFloatArray()) {
                assertEquals(0f, g, "the power iteration must leave no gradient on the decoder");
            }

            // the step's own backward: d(sum of logits)/dz = sum over classes of W, and the weight's gradient
            // comes from this backward alone: sum over pixels of (z + r)
            gc.backward(ctx.decode(out).sum());
            float[] zGrad = z.getGradient().toFloatArray();
            float[] outV = out.toFloatArray();
            for (int i = 0; i < zGrad.length; i++) {
                int dIdx = (i / (S * S)) % D;
                float colSum = W[0][dIdx] + W[1][dIdx] + W[2][dIdx];
                assertEquals(colSum, zGrad[i], 1e-6, "gradient reaches the encoder through z");
            }
            float[] wGrad = ctx.weight().getGradient().toFloatArray();
            for (int c = 0; c < C; c++) {
                for (int d = 0; d < D; d++) {
                    double expected = 0;
                    for (int b = 0; b < N; b++) {
                        for (int p = 0; p < S * S; p++) {
                            expected += outV[(b * D + d) * S * S + p];
                        }
                    }
                    assertEquals(expected, wGrad[c * D + d], 1e-4, "weight gradient only from the final backward");
                }
            }
        }
    }

    /** A decoder that reads one channel only: the adversarial direction lies in that channel. */
    @Test
    void directionIsConfinedToTheOnlyChannelTheDecoderReads() {
        float[][] oneChannel = new float[C][D];
        oneChannel[0][2] = 1.5f;
        oneChannel[1][2] = -0.5f;
        oneChannel[2][2] = 0.25f;
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            LinearDecoderContext ctx = new LinearDecoderContext(m, gc, oneChannel, null, 0, 4);
            NDArray z = ScalarOps.mul(features(m, 2, N, D, S, S), 0.01);
            float[] r = new Vat(Vat.Params.DEFAULTS).apply(z, ctx).sub(z).toFloatArray();
            double[] inChannel = new double[N];
            for (int i = 0; i < r.length; i++) {
                int b = i / (D * S * S), d = (i / (S * S)) % D;
                if (d == 2) {
                    inChannel[b] += r[i] * r[i];
                } else {
                    assertEquals(0f, r[i], "channel " + d + " does not affect the decoder");
                }
            }
            for (double sq : inChannel) {
                assertEquals(2.0, Math.sqrt(sq), 1e-5);
            }
        }
    }

    /** One power iteration from d gives normalise(H d), H the KL's Hessian at z (analytic, in double). */
    @Test
    void onePowerIterationGivesTheHessianTimesTheStartDirection() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            LinearDecoderContext ctx = new LinearDecoderContext(m, gc, W, null, 0, 5);
            NDArray z = features(m, 3, N, D, S, S);
            NDArray d = Vat.unitPerSample(features(m, 4, N, D, S, S).sub(0.5f));
            Vat vat = new Vat(new Vat.Params(1e-3, 2.0, 1));
            float[] actual = vat.adversarialDirection(z, d, ctx).toFloatArray();
            float[] expected = hessianTimes(z.toFloatArray(), d.toFloatArray());
            double[] norms = perSampleNorms(expected, N);
            for (int i = 0; i < expected.length; i++) {
                int b = i / (D * S * S);
                assertEquals(expected[i] / norms[b], actual[i], 2e-3, "direction element " + i);
            }
        }
    }

    /** Many power iterations on one pixel converge to H's top eigenvector. */
    @Test
    void manyPowerIterationsFindTheTopEigenDirection() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            LinearDecoderContext ctx = new LinearDecoderContext(m, gc, W, null, 0, 6);
            NDArray z = features(m, 5, 1, D, 1, 1);
            float[] actual = new Vat(new Vat.Params(1e-3, 1.0, 60)).apply(z, ctx).sub(z).toFloatArray();
            float[] zv = z.toFloatArray();
            float[] v = {1, 1, 1, 1};
            for (int i = 0; i < 500; i++) {
                v = hessianTimes(zv, v, 1, 1);
                double norm = perSampleNorms(v, 1)[0];
                for (int k = 0; k < D; k++) {
                    v[k] /= (float) norm;
                }
            }
            double cos = 0;
            for (int k = 0; k < D; k++) {
                cos += v[k] * actual[k];
            }
            assertEquals(1.0, Math.abs(cos), 1e-3, "|cos| between r and the top eigenvector");
        }
    }

    private static float[] hessianTimes(float[] z, float[] d) {
        return hessianTimes(z, d, N, S * S);
    }

    /** H d per pixel: Wᵀ (diag p − p pᵀ) W d / n, p = softmax(W z). */
    private static float[] hessianTimes(float[] z, float[] d, int n, int pixels) {
        float[] out = new float[z.length];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < pixels; p++) {
                double[] logits = new double[C], u = new double[C];
                for (int c = 0; c < C; c++) {
                    for (int k = 0; k < D; k++) {
                        int i = (b * D + k) * pixels + p;
                        logits[c] += W[c][k] * z[i];
                        u[c] += W[c][k] * d[i];
                    }
                }
                double max = Math.max(logits[0], Math.max(logits[1], logits[2])), sum = 0;
                double[] prob = new double[C];
                for (int c = 0; c < C; c++) {
                    prob[c] = Math.exp(logits[c] - max);
                    sum += prob[c];
                }
                double pu = 0;
                for (int c = 0; c < C; c++) {
                    prob[c] /= sum;
                    pu += prob[c] * u[c];
                }
                for (int k = 0; k < D; k++) {
                    double g = 0;
                    for (int c = 0; c < C; c++) {
                        g += W[c][k] * prob[c] * (u[c] - pu);
                    }
                    out[(b * D + k) * pixels + p] = (float) (g / n);
                }
            }
        }
        return out;
    }
}
