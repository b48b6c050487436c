package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic between an array and a Java number that stays correct inside an autograd graph. Use these instead
 * of DJL's {@code NDArray.mul(Number)}, {@code div}, {@code pow}, {@code maximum} and {@code minimum}; the build
 * refuses those (the distribution's {@code ScalarArithmeticGuardIT}).
 *
 * <p>Why: on the PyTorch engine (0.36, CPU) DJL wraps the number in an array whose memory is a Java direct buffer
 * ({@code from_blob}, no copy) and closes that array as soon as the op returns. These five ops save their other
 * operand for backward, so the graph keeps a pointer into the buffer; once the garbage collector frees it, the
 * next small allocation (typically the next such number) reuses the memory, and backward multiplies the gradient
 * by whatever is there. Measured: after a GC and a few thousand 4-byte direct buffers holding 7, the gradient of
 * {@code sum(x.mul(3f))} came back 7 (or -1.7e34) instead of 3; a CCT test saw 1e13 gradients on a head that a
 * zero loss should leave at 0. Here the number is made by libtorch ({@code full}), which owns its memory, so the
 * graph keeps it alive after the Java handle is closed.
 */
public final class ScalarOps {
    private ScalarOps() {}

    /** {@code x * v}. */
    public static NDArray mul(NDArray x, double v) {
        return with(x, v, NDArray::mul);
    }

    /** {@code x / v}. */
    public static NDArray div(NDArray x, double v) {
        return with(x, v, NDArray::div);
    }

    /** {@code x ^ v}, elementwise. */
    public static NDArray pow(NDArray x, double v) {
        return with(x, v, NDArray::pow);
    }

    /** {@code max(x, v)}, elementwise. */
    public static NDArray maximum(NDArray x, double v) {
        return with(x, v, NDArray::maximum);
    }

    /** {@code min(x, v)}, elementwise. */
    public static NDArray minimum(NDArray x, double v) {
        return with(x, v, NDArray::minimum);
    }

    /**
     * A 0-d array holding {@code v} in {@code like}'s data type, on its device, in memory libtorch owns (safe to
     * close while a graph still uses it). The caller closes it.
     */
    public static NDArray scalar(NDArray like, double v) {
        return like.getManager().full(new Shape(), (float) v, like.getDataType(), like.getDevice());
    }

    private static NDArray with(NDArray x, double v, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, v)) {
            return op.apply(x, s);
        }
    }
}
