package io.sslseg.platform.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.sslseg.api.nn.ScalarOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The update rules against scalar re-statements of PyTorch's torch.optim.SGD and AdamW, with a gradient
 * that changes every step (loss = sum(c_t * w^2)), the encoder lr multiplier, and a state round trip.
 */
class GroupedOptimizerTest {
    private static final float[] W0 = {0.5f, -1.25f};
    private static final double[] C = {1.0, -0.5, 2.0, 0.25};

    @Test
    void sgdMatchesPyTorchRule() {
        RunConfig.Optimizer cfg = new RunConfig.Optimizer("sgd", 0.1, 0.5, 0.9, 0.01, 0.9, 0.999, 1e-8, 0.9);
        double[][] expected = new double[2][];
        for (int p = 0; p < 2; p++) {
            double lr = p == 0 ? 0.1 * 0.5 : 0.1; // parameter 0 is in the encoder group
            double[] w = {W0[0], W0[1]};
            double[] buf = new double[2];
            for (double c : C) {
                for (int i = 0; i < 2; i++) {
                    double g = 2 * c * w[i] + 0.01 * w[i];
                    buf[i] = 0.9 * buf[i] + g;
                    w[i] -= lr * buf[i];
                }
            }
            expected[p] = w;
        }
        assertRun(cfg, expected);
    }

    @Test
    void adamwMatchesPyTorchRule() {
        RunConfig.Optimizer cfg = new RunConfig.Optimizer("adamw", 0.01, 0.5, 0.9, 0.1, 0.8, 0.95, 1e-8, 0.9);
        double[][] expected = new double[2][];
        for (int p = 0; p < 2; p++) {
            double lr = p == 0 ? 0.01 * 0.5 : 0.01;
            double[] w = {W0[0], W0[1]};
            double[] m = new double[2];
            double[] v = new double[2];
            int t = 0;
            for (double c : C) {
                t++;
                for (int i = 0; i < 2; i++) {
                    double g = 2 * c * w[i];
                    w[i] *= 1 - lr * 0.1;
                    m[i] = 0.8 * m[i] + 0.2 * g;
                    v[i] = 0.95 * v[i] + 0.05 * g * g;
                    double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.95, t)) + 1e-8;
                    w[i] -= lr / (1 - Math.pow(0.8, t)) * m[i] / denom;
                }
            }
            expected[p] = w;
        }
        assertRun(cfg, expected, false);
        // a loss term steps its own optimizer in afterBackward, inside the step's gradient collector (grad mode on)
        assertRun(cfg, expected, true);
    }

    private static void assertRun(RunConfig.Optimizer cfg, double[][] expected) {
        assertRun(cfg, expected, false);
    }

    private static void assertRun(RunConfig.Optimizer cfg, double[][] expected, boolean insideCollector) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Parameter enc = param(m, "enc");
            Parameter head = param(m, "head");
            PairList<String, Parameter> params = new PairList<>();
            params.add("enc", enc);
            params.add("head", head);
            GroupedOptimizer opt = GroupedOptimizer.create(cfg, m, params, Set.of(enc));
            for (double c : C) {
                try (NDManager step = m.newSubManager();
                        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = step.zeros(new Shape(1))
                            .add(ScalarOps.mul(enc.getArray().square().sum(), c))
                            .add(ScalarOps.mul(head.getArray().square().sum(), c));
                    gc.backward(loss);
                    if (insideCollector) {
                        opt.step(cfg.lr());
                    }
                }
                if (!insideCollector) {
                    opt.step(cfg.lr());
                }
            }
            assertClose(expected[0], enc.getArray().toFloatArray());
            assertClose(expected[1], head.getArray().toFloatArray());
            assertEquals(0f, enc.getArray().getGradient().abs().sum().getFloat(), "gradients are zeroed");
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() throws IOException {
        RunConfig.Optimizer cfg = new RunConfig.Optimizer("adamw", 0.01, 1, 0.9, 0.1, 0.9, 0.999, 1e-8, 0.9);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Parameter a = param(m, "a");
            Parameter b = param(m, "b");
            PairList<String, Parameter> pa = new PairList<>();
            pa.add("w", a);
            PairList<String, Parameter> pb = new PairList<>();
            pb.add("w", b);
            GroupedOptimizer oa = GroupedOptimizer.create(cfg, m, pa, Set.of());
            GroupedOptimizer ob = GroupedOptimizer.create(cfg, m, pb, Set.of());
            stepWith(oa, a, 1.0);
            stepWith(oa, a, -2.0);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            oa.save(new DataOutputStream(bytes));
            b.getArray().set(a.getArray().toFloatArray());
            ob.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "test");
            assertEquals(2, ob.steps());
            stepWith(oa, a, 0.5);
            stepWith(ob, b, 0.5);
            assertArrayEquals(a.getArray().toFloatArray(), b.getArray().toFloatArray());
        }
    }

    private static void stepWith(GroupedOptimizer opt, Parameter p, double c) {
        try (NDManager step = p.getArray().getManager().newSubManager();
                GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(step.zeros(new Shape(1)).add(ScalarOps.mul(p.getArray().square().sum(), c)));
        }
        opt.step(0.01);
    }

    private static Parameter param(NDManager m, String name) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(W0.clone()));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }
}
