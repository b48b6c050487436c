package io.sslseg.api.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class StepContextTest {
    /** A term's test double: only what the term reads. */
    private static final StepContext DOUBLE = new StepContext() {
        @Override
        public TrainingClock clock() {
            return new TrainingClock(3, 10);
        }
    };

    @Test
    void aTestDoubleImplementsOnlyWhatItsTermReads() {
        assertEquals(3, DOUBLE.clock().iteration());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> DOUBLE.logits(Split.LABELED));
        assertEquals("this step context offers no logits()", e.getMessage());
        assertThrows(IllegalStateException.class, DOUBLE::teacher, "no teacher: the run's problem, said as such");
        for (Method m : StepContext.class.getMethods()) {
            assertEquals(false, Modifier.isAbstract(m.getModifiers()), m + " has no default");
        }
    }
}
