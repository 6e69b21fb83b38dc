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
     * What a persistence unit with {@code @PartitionedBy} entities does on a database that is not PostgreSQL (H2 in an
     * application's tests, say): {@code warn} logs one WARN naming the entities and boots as without pgpartition (no
     * validation, no guards, tables generated unpartitioned); {@code fail} stops the bootstrap with
     * {@link io.pgpartition.ErrorCode#SERVER_UNSUPPORTED}. On PostgreSQL it changes nothing.
     *
     * @settingDefault {@code warn}
     */
    String NON_POSTGRESQL = "pgpartition.non_postgresql";

    /**
     * Whether the maintenance policies the annotations declare are recorded in the database at startup
     * ({@code record}: in a table {@code pgpartition_policies} of each schema, created where the role may), so that
     * {@code pgpartition maintain} and {@code check} without policy options maintain the tables exactly as the
     * application would; {@code none} records nothing. A role that may not create or write the table is told, once, the
     * statement that lets it; the bootstrap never fails for it.
     *
     * @settingDefault {@code record}
     */
    String POLICIES = "pgpartition.policies";

    /**
     * What startup validation does with the problems it finds: {@code fail} stops the bootstrap with one
     * {@link io.pgpartition.PartitionMappingException} listing every problem; {@code warn} logs each problem once at
     * WARN and boots; {@code none} skips validation.
     *
     * @settingDefault {@code fail}
     */
    String VALIDATION = "pgpartition.validation";

    /**
     * Partition maintenance at startup, for the entities whose annotations declare a policy
     * ({@code @RangePartitions}, {@code @ListPartition}, {@code @HashPartitions}): {@code none}; {@code verify} stops
     * the bootstrap with {@link io.pgpartition.ErrorCode#PARTITIONS_MISSING} when partitions are missing between now
     * and the premake horizon; {@code apply} creates them (and retires expired ones) and stops the bootstrap with
     * {@link io.pgpartition.ErrorCode#MAINTENANCE_FAILED} when it cannot finish.
     *
     * @settingDefault {@code none}
     */
    String MAINTENANCE = "pgpartition.maintenance";

    /**
     * How often maintenance runs in the background while the session factory is open, as {@code 1h}, {@code 30m},
     * {@code PT6H}...; each run is logged. Runs on one daemon thread, which stops when the session factory closes.
     * {@code 0} or absent: no background runs.
     *
     * @settingDefault {@code 0} (off)
     */
    String MAINTENANCE_INTERVAL = "pgpartition.maintenance.interval";

    /**
     * The {@code lock_timeout} of each maintenance statement, as {@code 2s}, {@code 500ms}...: the longest the
     * application's writes can queue behind maintenance.
     *
     * @settingDefault {@code 2s}
     */
    String MAINTENANCE_LOCK_TIMEOUT = "pgpartition.maintenance.lock_timeout";

    /**
     * What happens to native DML that writes to a partition instead of its parent table: {@code reject},
     * {@code warn} or {@code allow}.
     *
     * @settingDefault {@code reject}
     */
    String CHILD_PARTITION_DML = "pgpartition.child_partition_dml";

    /**
     * The server guard, triggers in PostgreSQL that refuse a changed partition key and a direct write to a partition
     * whoever sends it (see {@code pgpartition guard}), for the partitioned entities' tables: {@code none} leaves it
     * alone; {@code verify} stops the bootstrap with one
     * {@link io.pgpartition.ProblemCode#SERVER_GUARD_MISSING} problem per table or partition without it;
     * {@code install} completes it at startup (creating triggers takes a brief lock on each table).
     *
     * @settingDefault {@code none}
     */
    String SERVER_GUARD = "pgpartition.server_guard";

    /**
     * The unpruned-statement sentinel, for tests and development: {@code log} or {@code fail} explain each distinct
     * statement text once, the first time it runs (on the same connection, with that run's parameter values,
     * {@code EXPLAIN} without {@code ANALYZE}), and report a statement that can touch every partition of a table, or
     * more than one where it loads, updates or deletes one entity by its identifier: the SQL, what produced it, the
     * application's line and the fix. {@code log} logs it at WARN once; {@code fail} refuses it with
     * {@link io.pgpartition.UnprunedStatementException} each time it runs, so that the test running it fails. Statements
     * run inside {@link io.pgpartition.pruning.FullScan#intended} or carrying the comment
     * {@code /* pgpartition:full-scan *}{@code /} pass. With {@code log} or {@code fail}, startup validation also reports
     * the mappings that always produce such statements ({@link io.pgpartition.ProblemCode#ASSOCIATION_WITHOUT_KEY},
     * {@link io.pgpartition.ProblemCode#QUERY_WITHOUT_KEY}) and a {@code plan_cache_mode} of {@code force_generic_plan}
     * ({@link io.pgpartition.ProblemCode#GENERIC_PLANS_FORCED}): with {@code fail} in validation's report (which
     * {@code pgpartition.validation} throws or logs), with {@code log} logged at WARN.
     *
     * @settingDefault {@code off}
     */
    String UNPRUNED_STATEMENTS = "pgpartition.unpruned_statements";
}
