package io.pgpartition.maintenance.internal;

import io.pgpartition.catalog.Relation;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;

/**
 * The first pass of the plan of one table: the partitions its policy wants and the table lacks, the partitions that
 * expired, whether a default partition is to be made, and what was found on the way. Filled by the plans of the
 * policy's strategy; {@link MaintenancePlanner#actions} turns it into actions once the database has answered the
 * questions it raises ({@link Facts}).
 */
public record Draft(MaintenancePolicy policy, Relation relation, PartitionedTable layout, List<Wanted> wanted,
                   List<Partition> expired, boolean createDefault, List<MaintenanceFinding> findings) {

    /** A partition the policy wants and the table lacks; {@code inHorizon} when premake wants it (not a gap or a rescue). */
    public record Wanted(TableName name, PartitionBound bound, boolean inHorizon, String label) {
    }

    static Draft of(MaintenancePolicy policy, Relation relation, PartitionedTable layout) {
        return new Draft(policy, relation, layout, new ArrayList<>(), new ArrayList<>(), false, new ArrayList<>());
    }

    public TableName parent() {
        return relation.name();
    }

    String archiveSchema() {
        return policy.archiveSchemaFor(parent().schema());
    }

    Draft withDefaultCreated(boolean create) {
        return new Draft(policy, relation, layout, wanted, expired, create, findings);
    }

    /** This draft archiving into {@code schema}: for a table an interrupted run meant to archive elsewhere. */
    Draft archivingInto(String schema) {
        return schema == null || schema.equals(archiveSchema()) ? this
                : new Draft(policy.withArchiveSchema(schema), relation, layout, wanted, expired, createDefault, findings);
    }
}
