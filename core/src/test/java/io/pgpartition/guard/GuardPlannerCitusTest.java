package io.pgpartition.guard;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.Distribution;
import io.pgpartition.catalog.internal.GuardFacts;
import io.pgpartition.guard.internal.GuardPlanner;
import io.pgpartition.model.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server guard's plan for tables Citus holds, from facts alone: refused, with the reason, before anything runs. */
class GuardPlannerCitusTest {

    private static final TableName EVENTS = TableName.of("public", "event_impressions");
    private static final TableName CLAIMS = TableName.of("public", "claims");

    private static GuardFacts.Tree tree(TableName root, String... partitions) {
        List<GuardFacts.Member> members = new java.util.ArrayList<>();
        members.add(new GuardFacts.Member(root, null, 0, true, List.of("created_at"), null, List.of("created_at"), List.of()));
        for (String partition : partitions) {
            members.add(new GuardFacts.Member(TableName.of(root.schema(), partition), root, 1, false, List.of(), null, List.of(), List.of()));
        }
        return new GuardFacts.Tree(root, members, Map.of());
    }

    private static GuardState plan(Map<TableName, Distribution> citus) {
        GuardFacts facts = new GuardFacts(List.of(tree(EVENTS, "event_impressions_2026_11", "event_impressions_2026_12"),
                tree(CLAIMS, "claims_2026")), List.of(), 170000, citus);
        return GuardPlanner.plan(facts, Map.of("pgpartition_key_guard", "BEGIN END"), source -> "digest of " + source);
    }

    @Test
    void aDistributedTableIsRefusedWithWhatGuardsItInstead() {
        GuardState state = plan(Map.of(EVENTS, new Distribution(EVENTS, Distribution.Type.DISTRIBUTED, Optional.of("tenant_id"), 2, 32)));

        assertThat(state.roots()).as("the plain table is still planned").extracting(GuardState.Root::name).containsExactly(CLAIMS);
        assertThat(state.complete()).isFalse();
        assertThat(state.refused()).singleElement().isEqualTo(new GuardState.Refused(EVENTS,
                "public.event_impressions is a Citus distributed table (distributed by tenant_id, 32 shards): Citus runs no "
                        + "trigger on the tables it holds, so the server guard cannot be installed there; Citus itself refuses a "
                        + "change of the distribution column tenant_id, and the partition key is kept by pgpartition's client "
                        + "guard. Keep direct writes off its partitions with privileges (writes through public.event_impressions "
                        + "check only its own): grant the application's role INSERT, UPDATE, DELETE on public.event_impressions and "
                        + "nothing on the partitions, e.g. REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE "
                        + "\"public\".\"event_impressions_2026_11\", \"public\".\"event_impressions_2026_12\" FROM PUBLIC, and from "
                        + "each role granted them."));
        assertThatThrownBy(() -> new ServerGuard().installStatements(state)).isInstanceOf(PartitioningException.class)
                .satisfies(e -> assertThat(((PartitioningException) e).getCode()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED))
                .hasMessage("Cannot install the server guard, and nothing was installed: " + state.refused().get(0).reason()
                        + " Leave it out (--table names the tables to guard), or set pgpartition.server_guard=none for it.");
    }

    @Test
    void aReferenceTableHasNoDistributionColumnToName() {
        GuardState state = plan(Map.of(EVENTS, new Distribution(EVENTS, Distribution.Type.REFERENCE, Optional.empty(), 1, 1)));

        assertThat(state.refused()).singleElement().extracting(GuardState.Refused::reason).asString()
                .startsWith("public.event_impressions is a Citus reference table: Citus runs no trigger on the tables it holds, so "
                        + "the server guard cannot be installed there; the partition key is kept by pgpartition's client guard. ");
    }

    @Test
    void withoutCitusEveryRootIsPlannedAsBefore() {
        GuardState state = plan(Map.of());

        assertThat(state.refused()).isEmpty();
        assertThat(state.roots()).extracting(GuardState.Root::name).containsExactly(EVENTS, CLAIMS);
        assertThat(new ServerGuard().installStatements(state)).as("the missing function and triggers are installed").isNotEmpty();
    }
}
