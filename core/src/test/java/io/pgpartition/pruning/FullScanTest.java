package io.pgpartition.pruning;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FullScanTest {

    @Test
    void intendedHoldsInsideOnlyAndNests() {
        assertThat(FullScan.isIntended()).isFalse();
        AtomicBoolean inner = new AtomicBoolean();
        int result = FullScan.intended(() -> {
            FullScan.intended(() -> inner.set(FullScan.isIntended()));
            return FullScan.isIntended() ? 42 : 0;
        });
        assertThat(result).as("still intended after the nested scope ended").isEqualTo(42);
        assertThat(inner).isTrue();
        assertThat(FullScan.isIntended()).isFalse();
    }

    @Test
    void endsWhenTheWorkThrows() {
        assertThatThrownBy(() -> FullScan.intended(() -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(FullScan.isIntended()).isFalse();
    }

    @Test
    void isPerThread() throws InterruptedException {
        AtomicBoolean other = new AtomicBoolean(true);
        FullScan.intended(() -> {
            Thread thread = new Thread(() -> other.set(FullScan.isIntended()));
            thread.start();
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(other).as("another thread is not inside the scope").isFalse();
    }

    @Test
    void aWatchSeesEachTextOnceUntilClosed() {
        UnprunedStatement a = new UnprunedStatement("select a", java.util.List.of(), "q", "", "f");
        UnprunedStatement b = new UnprunedStatement("select b", java.util.List.of(), "q", "", "f");
        assertThat(UnprunedStatements.watching()).isFalse();
        UnprunedStatements.Watch watch = UnprunedStatements.watch();
        assertThat(UnprunedStatements.watching()).isTrue();
        UnprunedStatements.report(a);
        UnprunedStatements.report(a);
        UnprunedStatements.report(b);
        watch.close();
        UnprunedStatements.report(new UnprunedStatement("select c", java.util.List.of(), "q", "", "f"));
        assertThat(watch.statements()).containsExactly(a, b);
        assertThat(UnprunedStatements.watching()).isFalse();
    }
}
