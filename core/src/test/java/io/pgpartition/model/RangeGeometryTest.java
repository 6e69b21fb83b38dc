package io.pgpartition.model;

import io.pgpartition.model.RangeGeometry.Coverage;
import io.pgpartition.model.RangeGeometry.Hole;
import io.pgpartition.model.RangeGeometry.Overlap;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The geometry of range bounds, on a bigint key, without a database. */
class RangeGeometryTest {

    private static final ColumnType BIGINT = ColumnType.of("int8", ValueKind.INTEGER);
    private static final Comparator<List<RangeValue>> ORDER = (a, b) -> a.get(0).compareTo(b.get(0), BIGINT);

    private static RangeBound bound(long from, long to) {
        return RangeBound.of(from, to);
    }

    private static List<RangeValue> at(long value) {
        return List.of(RangeValue.of(value));
    }

    @Test
    void holesAreBetweenTheReachSoFarAndTheNextLowerBound() {
        List<RangeBound> bounds = List.of(bound(0, 10), bound(2, 5), bound(10, 20), bound(25, 30), bound(40, 50));

        assertThat(RangeGeometry.holes(bounds, ORDER)).as("a bound inside another does not end the reach")
                .containsExactly(new Hole(at(20), at(25), 2, 3), new Hole(at(30), at(40), 3, 4));
        assertThat(RangeGeometry.holes(List.of(bound(0, 10), bound(10, 20)), ORDER)).as("adjacent bounds leave none").isEmpty();
        assertThat(RangeGeometry.holes(List.of(), ORDER)).as("no bounds, no hole").isEmpty();
    }

    @Test
    void theReachIsTheLongestBoundSoFar() {
        List<RangeBound> bounds = List.of(bound(0, 30), bound(5, 10), bound(20, 40));

        assertThat(RangeGeometry.holes(bounds, ORDER)).as("(5, 10) ends before (0, 30) does: no hole at 10").isEmpty();
        assertThat(RangeGeometry.holes(List.of(bound(0, 10), bound(5, 10), bound(20, 30)), ORDER))
                .as("of two bounds ending together, the first is the one the hole follows")
                .containsExactly(new Hole(at(10), at(20), 0, 2));
    }

    @Test
    void overlapsArePairsThatShareKeys() {
        List<RangeBound> bounds = List.of(bound(0, 10), bound(5, 15), bound(9, 12), bound(15, 20), bound(20, 25));

        assertThat(RangeGeometry.overlaps(bounds, ORDER))
                .containsExactly(new Overlap(0, 1), new Overlap(0, 2), new Overlap(1, 2));
    }

    @Test
    void reachFollowsAnUnbrokenRunFromAStart() {
        List<RangeBound> bounds = List.of(bound(0, 10), bound(10, 20), bound(20, 30), bound(35, 40));

        assertThat(RangeGeometry.reach(bounds, ORDER, at(5), 0, null)).as("through three adjacent bounds").isEqualTo(at(30));
        assertThat(RangeGeometry.reach(bounds, ORDER, at(32), 0, null)).as("a start no bound holds").isEqualTo(at(32));
        assertThat(RangeGeometry.reach(bounds, ORDER, at(5), 0, at(20))).as("a bound starting at the stop is not looked at")
                .isEqualTo(at(20));
        assertThat(RangeGeometry.reach(bounds, ORDER, at(5), 1, null)).as("bounds before the first index are not looked at")
                .isEqualTo(at(5));
        assertThat(RangeGeometry.reach(bounds, ORDER, at(10), 0, null)).as("a start on a lower bound").isEqualTo(at(30));
    }

    @Test
    void coverageOfARange() {
        List<RangeBound> bounds = List.of(bound(0, 10), bound(10, 20), bound(30, 40));

        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(0, 20))).as("two adjacent bounds").isEqualTo(Coverage.FULL);
        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(12, 18))).as("inside one").isEqualTo(Coverage.FULL);
        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(15, 35))).as("across a hole").isEqualTo(Coverage.PARTIAL);
        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(25, 35))).as("starting in a hole").isEqualTo(Coverage.PARTIAL);
        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(20, 30))).as("exactly the hole").isEqualTo(Coverage.NONE);
        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(40, 50))).as("past the last").isEqualTo(Coverage.NONE);
        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(-10, 0))).as("before the first").isEqualTo(Coverage.NONE);
        assertThat(RangeGeometry.coverage(List.of(), ORDER, bound(0, 1))).as("no bounds").isEqualTo(Coverage.NONE);
    }

    @Test
    void overlappingBoundsOfARange() {
        List<RangeBound> bounds = List.of(bound(0, 10), bound(10, 20), bound(30, 40));

        assertThat(RangeGeometry.overlapping(bounds, ORDER, bound(5, 31))).containsExactly(0, 1, 2);
        assertThat(RangeGeometry.overlapping(bounds, ORDER, bound(20, 30))).as("touching is not overlapping").isEmpty();
    }

    @Test
    void firstEndingAfterAValue() {
        List<RangeBound> bounds = List.of(bound(0, 10), bound(10, 20), bound(30, 40));

        assertThat(RangeGeometry.firstEndingAfter(bounds, ORDER, at(-5))).isZero();
        assertThat(RangeGeometry.firstEndingAfter(bounds, ORDER, at(10))).as("a bound ending at the value is before it").isEqualTo(1);
        assertThat(RangeGeometry.firstEndingAfter(bounds, ORDER, at(25))).isEqualTo(2);
        assertThat(RangeGeometry.firstEndingAfter(bounds, ORDER, at(40))).as("none ends after it").isEqualTo(3);
    }

    @Test
    void minvalueAndMaxvalueBoundTheLine() {
        List<RangeBound> bounds = List.of(RangeBound.of(RangeValue.MINVALUE, RangeValue.of(0L)), bound(5, 10),
                RangeBound.of(RangeValue.of(10L), RangeValue.MAXVALUE));

        assertThat(RangeGeometry.holes(bounds, ORDER)).containsExactly(new Hole(at(0), at(5), 0, 1));
        assertThat(RangeGeometry.coverage(bounds, ORDER, bound(5, 1_000_000))).isEqualTo(Coverage.FULL);
    }
}
