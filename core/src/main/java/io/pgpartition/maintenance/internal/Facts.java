package io.pgpartition.maintenance.internal;

import io.pgpartition.model.TableName;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the database says about the names and partitions the drafts touch, read by {@link MaintenanceReader#facts}.
 *
 * @param existing          names the drafts would create or move to that a relation already has
 * @param references        per expired partition, the foreign keys referencing it
 * @param detachPending     partitions left {@code DETACH PENDING} (of any table)
 * @param insertableColumns per parent with a default partition that gets partitions, its columns rows are moved by
 * @param guarded           parents carrying the server guard's triggers
 * @param access            what the role running maintenance may do, for the drops and archives that are due
 * @param leftovers         plain tables that carry a {@link RetentionMark} (of any table)
 * @param columnar          for retention to the columnar access method: what allows or forbids it
 */
public record Facts(Set<TableName> existing, Map<TableName, List<String>> references, Set<TableName> detachPending,
                    Map<TableName, List<String>> insertableColumns, Set<TableName> guarded, Access access,
                    List<Leftover> leftovers, Columnar columnar) {

    public Facts(Set<TableName> existing, Map<TableName, List<String>> references, Set<TableName> detachPending,
                 Map<TableName, List<String>> insertableColumns, Set<TableName> guarded, Access access, List<Leftover> leftovers) {
        this(existing, references, detachPending, insertableColumns, guarded, access, leftovers, Columnar.UNASKED);
    }

    /**
     * What retention to the columnar access method needs to know, asked only for tables whose policy says so.
     *
     * @param available whether the database has the {@code columnar} access method ({@code citus_columnar})
     * @param done      expired partitions that are columnar already
     * @param forbidden per parent, what columnar tables cannot have that it has (foreign keys, {@code AFTER ROW}
     *                  triggers), named
     */
    public record Columnar(boolean available, Set<TableName> done, Map<TableName, List<String>> forbidden) {

        /** Nothing asked: no table retires to columnar. */
        public static final Columnar UNASKED = new Columnar(false, Set.of(), Map.of());

        public Columnar {
            done = Set.copyOf(done);
            forbidden = Map.copyOf(forbidden);
        }
    }

    /**
     * What the role may do for retention's second step.
     *
     * @param role          the role's name, for the GRANT a message gives
     * @param createsSchema whether it may create schemas in the database
     * @param schemas       per archive schema that exists, whether the role has USAGE and CREATE on it (absent: missing)
     * @param notOwned      partitions to drop or archive that the role neither owns nor is a member of the owner of,
     *                      with the owner's name
     */
    public record Access(String role, boolean createsSchema, Map<String, Boolean> schemas, Map<TableName, String> notOwned) {

        /** Nothing asked (nothing is retired): every archive schema taken to exist and be usable. */
        public static final Access UNCHECKED = new Access(null, true, Map.of(), Map.of());

        boolean schemaExists(String schema) {
            return role == null || schemas.containsKey(schema);
        }
    }

    /** A plain table that a retention run detached and meant to drop or archive. */
    public record Leftover(TableName table, RetentionMark mark, String bound) {
    }
}
