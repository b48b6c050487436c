package io.sslseg.platform.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.sslseg.api.SslsegException;
import io.sslseg.api.nn.Optimizers;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.nn.Updater;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SGD and AdamW with PyTorch's update rules, per-parameter learning-rate multipliers (the encoder group),
 * and state that a checkpoint can save and restore. Written here rather than taken from DJL because DJL's
 * SGD folds the learning rate into the momentum buffer (MXNet style), which differs once lr decays, and
 * DJL has no decoupled weight decay.
 */
public abstract class GroupedOptimizer implements Updater {

    /** One trainable parameter with its stable name, lr multiplier and optimizer state. */
    protected record Slot(String name, Parameter parameter, double lrMultiplier, NDArray[] state) {}

    protected final List<Slot> slots = new ArrayList<>();
    protected final NDManager manager;
    protected long steps;

    protected GroupedOptimizer(NDManager manager, PairList<String, Parameter> parameters,
            Set<Parameter> encoderGroup, double encoderLrMultiplier, int stateArrays) {
        this.manager = manager;
        for (Pair<String, Parameter> p : parameters) {
            Parameter param = p.getValue();
            if (!param.requiresGradient()) {
                continue; // BatchNorm running statistics
            }
            NDArray[] state = new NDArray[stateArrays];
            for (int i = 0; i < stateArrays; i++) {
                state[i] = manager.zeros(param.getArray().getShape(), param.getArray().getDataType(),
                        param.getArray().getDevice());
            }
            slots.add(new Slot(p.getKey(), param, encoderGroup.contains(param) ? encoderLrMultiplier : 1.0, state));
        }
    }

    /** The {@link Optimizers} that loss terms and pseudo-labellers get: AdamW on {@code manager}. */
    public static Optimizers factory(NDManager manager) {
        return (parameters, beta1, beta2, weightDecay) -> {
            RunConfig.Optimizer d = RunConfig.defaults().train().optimizer();
            return create(new RunConfig.Optimizer("adamw", d.lr(), 1.0, d.momentum(), weightDecay, beta1, beta2, d.eps(),
                    d.polyPower()), manager, parameters, Set.of());
        };
    }

    public static GroupedOptimizer create(RunConfig.Optimizer cfg, NDManager manager,
            PairList<String, Parameter> parameters, Set<Parameter> encoderGroup) {
        return switch (cfg.type()) {
            case "sgd" -> new Sgd(manager, parameters, encoderGroup, cfg);
            case "adamw" -> new AdamW(manager, parameters, encoderGroup, cfg);
            default -> throw new SslsegException("train.optimizer.type: unknown optimizer '" + cfg.type() + "'");
        };
    }

    public long steps() {
        return steps;
    }

    /** Applies one update with the head's learning rate {@code lr}, then zeroes the gradients. */
    @Override
    public void step(double lr) {
        steps++;
        for (Slot s : slots) {
            NDArray weight = s.parameter().getArray();
            try (NDManager tmp = manager.newSubManager(); NDArray grad = weight.getGradient()) {
                // a detached alias shares the weight's storage: in-place writes to it are legal even inside a
                // gradient collector (a loss term stepping its own optimizer in afterBackward), as under no_grad
                NDArray w = weight.stopGradient();
                w.attach(tmp);
                update(s, w, grad, lr * s.lrMultiplier(), tmp);
                grad.muli(0);
            }
        }
    }

    /**
     * The name of the first parameter whose gradient holds a NaN or an infinity, or null when all are finite:
     * one sum per gradient and a single read, so that checking every step costs little.
     */
    public String firstNonFiniteGradient() {
        if (slots.isEmpty()) {
            return null;
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDList sums = new NDList(slots.size());
            for (Slot s : slots) {
                try (NDArray grad = s.parameter().getArray().getGradient()) {
                    sums.add(scratch(grad.sum(), tmp));
                }
            }
            if (Float.isFinite(scratch(NDArrays.stack(sums).sum(), tmp).getFloat())) {
                return null;
            }
            for (int i = 0; i < slots.size(); i++) {
                if (!Float.isFinite(sums.get(i).getFloat())) {
                    return slots.get(i).name();
                }
            }
            return null; // finite sums whose total overflowed: large, but numbers
        }
    }

    /** Updates {@code weight} in place; temporaries must be attached to {@code tmp}. */
    protected abstract void update(Slot slot, NDArray weight, NDArray grad, double lr, NDManager tmp);

    /** Results of ops land in the first operand's manager: move them into the step's scratch manager. */
    protected static NDArray scratch(NDArray a, NDManager tmp) {
        a.attach(tmp);
        return a;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeInt(slots.size());
        NDList all = new NDList();
        for (Slot s : slots) {
            out.writeUTF(s.name());
            for (NDArray a : s.state()) {
                all.add(a);
            }
        }
        byte[] bytes = all.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public void load(DataInputStream in, String source) throws IOException {
        long savedSteps = in.readLong();
        int n = in.readInt();
        if (n != slots.size()) {
            throw new SslsegException(source + ": optimizer state has " + n + " parameters, the model has " + slots.size());
        }
        for (Slot s : slots) {
            String name = in.readUTF();
            if (!name.equals(s.name())) {
                throw new SslsegException(source + ": optimizer state is for parameter '" + name + "', expected '" + s.name() + "'");
            }
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (NDManager tmp = manager.newSubManager()) {
            NDList all = NDList.decode(tmp, bytes);
            int i = 0;
            for (Slot s : slots) {
                for (NDArray a : s.state()) {
                    a.set(all.get(i++).toByteBuffer());
                }
            }
        }
        steps = savedSteps;
    }

    /** PyTorch SGD: buf = m*buf + (g + wd*w); w -= lr*buf. */
    static final class Sgd extends GroupedOptimizer {
        private final double momentum;
        private final double weightDecay;

        Sgd(NDManager m, PairList<String, Parameter> p, Set<Parameter> enc, RunConfig.Optimizer cfg) {
            super(m, p, enc, cfg.encoderLrMultiplier(), 1);
            this.momentum = cfg.momentum();
            this.weightDecay = cfg.weightDecay();
        }

        @Override
        protected void update(Slot s, NDArray w, NDArray g, double lr, NDManager tmp) {
            NDArray buf = s.state()[0];
            buf.muli(momentum).addi(g);
            if (weightDecay != 0) {
                buf.addi(scratch(ScalarOps.mul(w, weightDecay), tmp));
            }
            w.subi(scratch(ScalarOps.mul(buf, lr), tmp));
        }
    }

    /** PyTorch AdamW: decoupled weight decay, bias-corrected moments. */
    static final class AdamW extends GroupedOptimizer {
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final double weightDecay;

        AdamW(NDManager m, PairList<String, Parameter> p, Set<Parameter> enc, RunConfig.Optimizer cfg) {
            super(m, p, enc, cfg.encoderLrMultiplier(), 2);
            this.beta1 = cfg.beta1();
            this.beta2 = cfg.beta2();
            this.eps = cfg.eps();
            this.weightDecay = cfg.weightDecay();
        }

        @Override
        protected void update(Slot s, NDArray w, NDArray g, double lr, NDManager tmp) {
            NDArray m = s.state()[0];
            NDArray v = s.state()[1];
            if (weightDecay != 0) {
                w.muli(1 - lr * weightDecay);
            }
            m.muli(beta1).addi(scratch(ScalarOps.mul(g, 1 - beta1), tmp));
            v.muli(beta2).addi(scratch(g.square(), tmp).muli(1 - beta2));
            double bc1 = 1 - Math.pow(beta1, steps);
            double bc2 = 1 - Math.pow(beta2, steps);
            NDArray denom = scratch(v.sqrt(), tmp).divi(Math.sqrt(bc2)).addi(eps);
            w.subi(scratch(m.div(denom), tmp).muli(lr / bc1));
        }
    }
}
