package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.ConsistencyLoss;
import io.sslseg.api.ssl.Ramps;
import io.sslseg.plugins.cct.SoftmaxConsistencyLoss.Distance;
import io.sslseg.testkit.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * MSE / KL / JS (with and without confidence masking), the weighted loss over 3 auxiliary decoders and the
 * pair-wise loss, values and gradients w.r.t. the auxiliary logits, against CCT's code (golden file). The
 * inputs are the golden {@code logits} (aux) and {@code target_probs} (the detached target).
 */
class ConsistencyLossGoldenTest {

    private static void check(Distance distance, ConsistencyParams params, String key) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray aux = Golden.array(m, Golden.input("logits"));
            NDArray target = Golden.array(m, Golden.input("target_probs"));
            aux.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = new SoftmaxConsistencyLoss(distance, params).compute(aux, target);
                value = loss.getFloat();
                gc.backward(loss);
            }
            JsonNode expected = Golden.output(key);
            GoldenChecks.value(expected.get("value").asDouble(), value, key);
            GoldenChecks.array(Golden.flatten(expected.get("grad")), aux.getGradient().toFloatArray(), key);
        }
    }

    @Test
    void mse() {
        check(Distance.MSE, ConsistencyParams.DEFAULTS, "softmax_mse_loss");
    }

    @Test
    void kl() {
        check(Distance.KL, ConsistencyParams.DEFAULTS, "softmax_kl_loss");
    }

    @Test
    void js() {
        check(Distance.JS, ConsistencyParams.DEFAULTS, "softmax_js_loss");
    }

    @Test
    void mseWithConfidenceMaskingAveragesOverKeptPixelsTimesClasses() {
        check(Distance.MSE, new ConsistencyParams(true, 0.5), "softmax_mse_loss_confmask_th0.5");
        check(Distance.MSE, new ConsistencyParams(true, 0.7), "softmax_mse_loss_confmask_th0.7");
    }

    @Test
    void klWithConfidenceMaskingDividesByAllPixels() {
        check(Distance.KL, new ConsistencyParams(true, 0.5), "softmax_kl_loss_confmask_th0.5");
        check(Distance.KL, new ConsistencyParams(true, 0.7), "softmax_kl_loss_confmask_th0.7");
    }

    @Test
    void maskingThatKeepsNothingGivesZeroAndJsMaskedBelowOneOverCIsUnmasked() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray aux = Golden.array(m, Golden.input("logits"));
            NDArray target = Golden.array(m, Golden.input("target_probs"));
            for (Distance d : Distance.values()) {
                float none = new SoftmaxConsistencyLoss(d, new ConsistencyParams(true, 0.999)).compute(aux, target).getFloat();
                assertEquals(0f, none, d + " with no confident pixel");
            }
            float unmasked = new SoftmaxConsistencyLoss(Distance.JS, ConsistencyParams.DEFAULTS).compute(aux, target).getFloat();
            float masked = new SoftmaxConsistencyLoss(Distance.JS, new ConsistencyParams(true, 0.1)).compute(aux, target).getFloat();
            assertEquals(unmasked, masked, 1e-7f);
        }
    }

    /** total = w_u(epoch 1, iter 3) x mean over the 3 auxiliary decoders of MSE; gradient per decoder. */
    @Test
    void weightedUnsupervisedLossOverThreeAuxiliaryDecoders() {
        String key = "model_unsup_loss_mse_3aux_epoch1_iter3";
        JsonNode expected = Golden.output(key);
        // the first consistency_weight schedule: final_w 30, 10 iters per epoch, ramp epochs 0..2
        double weight = Ramps.consistencyWeight(30, Ramps.Ramp.SIGMOID, 10 + 3, 0, 20);
        GoldenChecks.value(expected.get("weight").asDouble(), weight, key + " weight");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray target = Golden.array(m, Golden.input("target_probs"));
            List<NDArray> aux = auxiliaryOutputs(m);
            ConsistencyLoss mse = new SoftmaxConsistencyLoss(Distance.MSE, ConsistencyParams.DEFAULTS);
            float value = backward(aux, outputs -> {
                NDArray sum = mse.compute(outputs.get(0), target);
                for (int k = 1; k < outputs.size(); k++) {
                    sum = sum.add(mse.compute(outputs.get(k), target));
                }
                return ScalarOps.mul(ScalarOps.div(sum, outputs.size()), weight);
            });
            GoldenChecks.value(expected.get("value").asDouble(), value, key);
            GoldenChecks.array(Golden.flatten(expected.get("grad_aux")), gradients(aux), key);
        }
    }

    private static List<NDArray> auxiliaryOutputs(NDManager m) {
        List<NDArray> aux = new ArrayList<>();
        for (JsonNode k : Golden.input("aux_logits")) {
            NDArray a = Golden.array(m, k);
            a.setRequiresGradient(true);
            aux.add(a);
        }
        return aux;
    }

    private static float backward(List<NDArray> inputs, Function<List<NDArray>, NDArray> loss) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray l = loss.apply(inputs);
            gc.backward(l);
            return l.getFloat();
        }
    }

    private static float[] gradients(List<NDArray> inputs) {
        NDList grads = new NDList();
        inputs.forEach(a -> grads.add(a.getGradient()));
        return NDArrays.stack(grads).toFloatArray();
    }
}
