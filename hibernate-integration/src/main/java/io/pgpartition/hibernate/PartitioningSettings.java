package io.pgpartition.hibernate;

/**
 * The settings of pgpartition's Hibernate integration, read through Hibernate's configuration like any
 * {@code hibernate.*} setting ({@code persistence.xml} properties, {@code hibernate.properties}, or the settings map
 * given to the bootstrap).
 */
public interface PartitioningSettings {

    /**
     * Whether pgpartition takes part in this persistence unit at all: {@code false} leaves Hibernate exactly as
     * without the jar (no validation, guards, routing or schema changes), for comparisons and emergencies.
     *
     * @settingDefault {@code true}
     */
    String ENABLED = "pgpartition.enabled";

    /**
     * What startup validation does with the problems it finds: {@code fail} stops the bootstrap with one
     * {@link io.pgpartition.PartitionMappingException} listing every problem; {@code warn} logs each problem once at
     * WARN and boots; {@code none} skips validation.
     *
     * @settingDefault {@code fail}
     */
    String VALIDATION = "pgpartition.validation";

    /**
     * Partition maintenance at startup: {@code none}, {@code verify} (fail when partitions are missing for the
     * premake horizon) or {@code apply}.
     *
     * @settingDefault {@code none}
     */
    String MAINTENANCE = "pgpartition.maintenance";

    /**
     * What happens to native DML that writes to a partition instead of its parent table: {@code reject},
     * {@code warn} or {@code allow}.
     *
     * @settingDefault {@code reject}
     */
    String CHILD_PARTITION_DML = "pgpartition.child_partition_dml";
}
