package io.sslseg.api.data;

/** An 8-bit RGB image, row-major, channels interleaved (r, g, b per pixel). */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException(
                    "RGB image of " + width + "x" + height + " needs " + (width * height * 3) + " bytes, got " + rgb.length);
        }
    }

    public int get(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }
}
