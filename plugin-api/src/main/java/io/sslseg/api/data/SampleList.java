package io.sslseg.api.data;

import java.util.List;
import java.util.function.IntFunction;

/** A random-access, lazily loaded split. {@link #load} may be called from several threads at once. */
public interface SampleList {
    SampleList EMPTY = new SampleList() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public String id(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public Sample load(int index) {
            throw new IndexOutOfBoundsException(index);
        }
    };

    int size();

    /** A list of {@code size} samples named and loaded (or generated) by index, on demand. */
    static SampleList of(int size, IntFunction<String> id, IntFunction<Sample> loader) {
        return new SampleList() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public String id(int index) {
                return id.apply(index);
            }

            @Override
            public Sample load(int index) {
                return loader.apply(index);
            }
        };
    }

    String id(int index);

    /** Reads (or generates) one sample; a broken file is a {@link DataException} naming it. */
    Sample load(int index);

    default List<String> ids() {
        String[] ids = new String[size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(i);
        }
        return List.of(ids);
    }
}
