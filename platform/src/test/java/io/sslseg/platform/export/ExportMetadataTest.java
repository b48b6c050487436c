package io.sslseg.platform.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.SslsegException;
import io.sslseg.api.data.ImageNormalization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportMetadataTest {
    private static final ExportMetadata MD = new ExportMetadata(List.of("background", "cat, black", "dog \"x\""),
            ImageNormalization.IMAGENET, 56, 8, "0.2.0", "ab12", "best.ckpt", 1500, "teacher", 0);

    @Test
    void propertiesReadBackToTheSameMetadata() {
        ExportMetadata back = ExportMetadata.fromProperties(MD.toProperties(), "m.onnx");
        assertEquals(MD.classNames(), back.classNames(), "names with commas and quotes survive");
        assertArrayEquals(MD.normalization().mean(), back.normalization().mean());
        assertArrayEquals(MD.normalization().std(), back.normalization().std());
        assertEquals(List.of(56, 8, 1500L, "teacher", "best.ckpt", "ab12", 0),
                List.of(back.crop(), back.outputStride(), back.step(), back.model(), back.checkpoint(), back.configSha256(),
                        back.fixedSize()));
        assertEquals(48, ExportMetadata.fromProperties(MD.withFixedSize(48).toProperties(), "m.onnx").fixedSize());
    }

    @Test
    void paletteIsVocs() {
        assertEquals("[[0,0,0],[128,0,0],[0,128,0]]", MD.toProperties().get("sslseg.palette"));
    }

    @Test
    void aMissingOrBrokenPropertyNamesTheFileAndTheKey() {
        Map<String, String> p = new LinkedHashMap<>(MD.toProperties());
        p.remove("sslseg.crop");
        var e = assertThrows(SslsegException.class, () -> ExportMetadata.fromProperties(p, "m.onnx"));
        assertTrue(e.getMessage().contains("m.onnx") && e.getMessage().contains("sslseg.crop"), e.getMessage());
        p.put("sslseg.crop", "56");
        p.put("sslseg.classes", "[not json");
        var broken = assertThrows(SslsegException.class, () -> ExportMetadata.fromProperties(p, "m.onnx"));
        assertTrue(broken.getMessage().contains("m.onnx"), broken.getMessage());
    }
}
