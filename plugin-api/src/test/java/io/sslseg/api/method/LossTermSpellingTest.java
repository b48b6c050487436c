package io.sslseg.api.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.data.Split;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** pseudoLabelled() became pseudoLabeled(): a term built against the old name is still heard by the platform. */
class LossTermSpellingTest {
    private abstract static class Term implements LossTerm {
        @Override
        public Set<Split> splits() {
            return Set.of(Split.WEAK);
        }

        @Override
        public NDArray compute(StepContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void aTermThatOverridesTheFormerNameIsStillRead() {
        LossTerm old = new Term() {
            @Override
            public Set<Split> pseudoLabelled() {
                return Set.of(Split.WEAK);
            }
        };
        LossTerm current = new Term() {
            @Override
            public Set<Split> pseudoLabeled() {
                return Set.of(Split.WEAK);
            }
        };
        assertEquals(Set.of(Split.WEAK), old.pseudoLabeled());
        assertEquals(Set.of(Split.WEAK), current.pseudoLabeled());
        assertEquals(Set.of(), new Term() {}.pseudoLabeled());
    }
}
