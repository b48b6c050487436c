package io.sslseg.platform.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.ImageNormalization;
import io.sslseg.api.data.voc.VocPalette;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exported model carries besides its graph (ONNX metadata properties, keys {@code sslseg.*}), so that
 * {@code predict} and {@code eval --model} need nothing but the file: the classes in id order with their VOC palette
 * colours, how pixels are normalised, the training crop and the side multiple the network needs, and where the
 * weights came from.
 *
 * @param classNames by class id, background (0) first
 * @param crop the training crop side (the size the network saw)
 * @param outputStride input height and width must be multiples of it
 * @param configSha256 SHA-256 of the run's config.yaml
 * @param checkpoint best.ckpt or latest.ckpt
 * @param model student or teacher
 * @param fixedSize 0 where the model takes any height and width (multiples of the output stride); else the one side
 *     it was exported for (a network with adaptive pooling), to which images are resized
 */
public record ExportMetadata(List<String> classNames, ImageNormalization normalization, int crop, int outputStride,
        String version, String configSha256, String checkpoint, long step, String model, int fixedSize) {
    static final String PREFIX = "sslseg.";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ExportMetadata {
        classNames = List.copyOf(classNames);
    }

    /** The same, for a model exported at one input size. */
    public ExportMetadata withFixedSize(int size) {
        return new ExportMetadata(classNames, normalization, crop, outputStride, version, configSha256, checkpoint, step,
                model, size);
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The metadata properties. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        List<int[]> palette = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            int rgb = VocPalette.rgb(c);
            palette.add(new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff});
        }
        p.put(PREFIX + "classes", json(classNames));
        p.put(PREFIX + "palette", json(palette));
        p.put(PREFIX + "normalization.mean", json(normalization.mean()));
        p.put(PREFIX + "normalization.std", json(normalization.std()));
        p.put(PREFIX + "crop", Integer.toString(crop));
        p.put(PREFIX + "output_stride", Integer.toString(outputStride));
        p.put(PREFIX + "version", version);
        p.put(PREFIX + "config_sha256", configSha256);
        p.put(PREFIX + "checkpoint", checkpoint);
        p.put(PREFIX + "step", Long.toString(step));
        p.put(PREFIX + "model", model);
        p.put(PREFIX + "input_size", fixedSize == 0 ? "any" : Integer.toString(fixedSize));
        return p;
    }

    /**
     * Reads them back from a model's metadata properties.
     *
     * @param source names the file in error messages
     */
    public static ExportMetadata fromProperties(Map<String, String> p, String source) {
        try {
            List<String> classes = JSON.readValue(get(p, "classes", source), new TypeReference<List<String>>() {});
            float[] mean = JSON.readValue(get(p, "normalization.mean", source), float[].class);
            float[] std = JSON.readValue(get(p, "normalization.std", source), float[].class);
            return new ExportMetadata(classes, new ImageNormalization(mean, std),
                    Integer.parseInt(get(p, "crop", source)), Integer.parseInt(get(p, "output_stride", source)),
                    get(p, "version", source), get(p, "config_sha256", source), get(p, "checkpoint", source),
                    Long.parseLong(get(p, "step", source)), get(p, "model", source),
                    get(p, "input_size", source).equals("any") ? 0 : Integer.parseInt(get(p, "input_size", source)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SslsegException(source + ": its sslseg metadata is unreadable (" + e.getMessage()
                    + "); export it again with 'sslseg export'");
        }
    }

    private static String get(Map<String, String> p, String key, String source) {
        String v = p.get(PREFIX + key);
        if (v == null) {
            throw new SslsegException(source + ": metadata property " + PREFIX + key + " is missing; this is not a model"
                    + " written by 'sslseg export'");
        }
        return v;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
