package io.sslseg.plugins.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import io.sslseg.api.Components;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.Layers;
import io.sslseg.testkit.Registered;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResNetTest {
    private static final Shape IMAGES = new Shape(2, 3, 64, 64);

    @Test
    void registersTheThreeDepths() {
        Map<String, EncoderFactory<?>> encoders = Registered.components(new ResNetModule(), Components.ENCODER);
        assertEquals(Set.of("resnet18", "resnet34", "resnet50"), encoders.keySet());
        assertEquals(ResNetParams.DEFAULTS, encoders.get("resnet18").defaults());
    }

    @ParameterizedTest(name = "{0} width {1} deepStem {2}: {3} parameters")
    @CsvSource({
        "R18, 64, false, 11176512", // torchvision resnet18 without its fc (11,689,512 - 513,000)
        "R34, 64, false, 21284672", // torchvision resnet34 without its fc (21,797,672 - 513,000)
        "R50, 64, false, 23508032", // torchvision resnet50 without its fc (25,557,032 - 2,049,000)
        "R50, 64, true, 23631808", //  CCT's deep-stem ResNet-50 backbone
        "R18, 32, false, 2798880", //  the default small variant (2.80 M)
    })
    void parameterCountsMatchTheReferences(ResNet.Depth depth, int width, boolean deepStem, long expected) {
        ResNet net = new ResNet(depth, new ResNetParams(width, 8, deepStem, null));
        withInitialised(net, n -> assertEquals(expected, Layers.trainableParameterCount(n)));
    }

    @ParameterizedTest(name = "{0} OS {1}")
    @CsvSource({
        "R18, 8, '16,8,8,8'",
        "R18, 16, '16,8,4,4'",
        "R18, 32, '16,8,4,2'",
        "R50, 8, '16,8,8,8'",
    })
    void dilationKeepsTheSpatialSizeOfTheLastStages(ResNet.Depth depth, int os, String sides) {
        ResNet net = new ResNet(depth, new ResNetParams(16, os, false, null));
        int expansion = depth == ResNet.Depth.R50 ? 4 : 1;
        int[] side = Arrays.stream(sides.split(",")).mapToInt(Integer::parseInt).toArray();
        Shape[] out = net.getOutputShapes(new Shape[] {IMAGES});
        for (int i = 0; i < 4; i++) {
            FeatureInfo.Stage stage = net.features().stages().get(i);
            assertEquals(new Shape(2, 16L * expansion << i, side[i], side[i]), out[i], stage.name());
            assertEquals(stage.channels(), out[i].get(1));
            assertEquals(64 / stage.stride(), side[i], stage.name() + " stride");
        }
        assertEquals(os, net.features().outputStride());
    }

    @Test
    void firstBlockOfADilatedStageKeepsThePreviousDilation() {
        // OS 8: layer3 blocks (1, 2), layer4 blocks (2, 4); layer1-2 undilated. Basic blocks: both 3x3 dilated.
        ResNet net = new ResNet(ResNet.Depth.R18, ResNetParams.DEFAULTS);
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4), threeByThreeDilations(net.getChildren().get(1).getValue(),
                net.getChildren().get(2).getValue(), net.getChildren().get(3).getValue(), net.getChildren().get(4).getValue()));
        ResNet r50 = new ResNet(ResNet.Depth.R50, ResNetParams.DEFAULTS);
        // Bottleneck: one 3x3 per block; layer3 has 6 blocks, layer4 3.
        assertEquals(List.of(1, 2, 2, 2, 2, 2, 2, 4, 4),
                threeByThreeDilations(r50.getChildren().get(3).getValue(), r50.getChildren().get(4).getValue()));
    }

    @Test
    void deepStemTakesThreeConvolutions() {
        ResNet net = new ResNet(ResNet.Depth.R18, new ResNetParams(32, 8, true, null));
        List<Conv2d> convs = new ArrayList<>();
        collectConvs(net.getChildren().get(0).getValue(), convs);
        assertEquals(List.of(32, 32, 64), convs.stream().map(Conv2d::getFilters).toList());
        assertEquals(new Shape(2, 2), convs.get(0).getStride());
        assertEquals(64, net.getOutputShapes(new Shape[] {IMAGES})[0].get(2) * 4);
    }

    @ParameterizedTest(name = "light stem stride {0}")
    @CsvSource({
        "2, '2,4,8,8', '1,1,1,1,1,1,1,1,1,1,1,1,1,1,2,2'", // the default supervised encoder: layer4 dilated (block 1 keeps 1)
        "1, '1,2,4,8', '1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1'", // a U-Net's pyramid: full resolution, no dilation
    })
    void lightStemStrideSetsTheFinestStage(int stemStride, String strides, String dilations) {
        ResNet net = new ResNet(ResNet.Depth.R18, new ResNetParams(16, 8, false, true, stemStride, null));
        assertEquals(Arrays.stream(strides.split(",")).map(Integer::valueOf).toList(),
                net.features().stages().stream().map(FeatureInfo.Stage::stride).toList());
        Shape[] out = net.getOutputShapes(new Shape[] {IMAGES});
        for (int i = 0; i < 4; i++) {
            assertEquals(64 / net.features().stages().get(i).stride(), out[i].get(2), "layer" + (i + 1));
        }
        assertEquals(Arrays.stream(dilations.split(",")).map(Integer::valueOf).toList(), threeByThreeDilations(
                net.getChildren().get(1).getValue(), net.getChildren().get(2).getValue(),
                net.getChildren().get(3).getValue(), net.getChildren().get(4).getValue()));
    }

    @Test
    void rejectsUnsupportedSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ResNetParams(32, 4, false, null));
        assertThrows(IllegalArgumentException.class, () -> new ResNetParams(0, 8, false, null));
        assertThrows(IllegalArgumentException.class, () -> new ResNetParams(32, 8, false, true, 4, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResNetParams(32, 8, false, false, 1, null));
        assertTrue(e.getMessage().contains("lightStem: true"), e.getMessage());
    }

    private static List<Integer> threeByThreeDilations(Block... stages) {
        List<Conv2d> convs = new ArrayList<>();
        for (Block stage : stages) {
            collectConvs(stage, convs);
        }
        return convs.stream().filter(c -> c.getKernelShape().get(0) == 3)
                .peek(c -> assertEquals(c.getDilation(), c.getPadding(), "padding = dilation"))
                .map(c -> (int) c.getDilation().get(0)).toList();
    }

    private static void collectConvs(Block block, List<Conv2d> out) {
        if (block instanceof Conv2d conv) {
            out.add(conv);
        }
        block.getChildren().values().forEach(child -> collectConvs(child, out));
    }

    static void withInitialised(Block block, Consumer<Block> body) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            block.initialize(manager, DataType.FLOAT32, IMAGES);
            body.accept(block);
        }
    }
}
