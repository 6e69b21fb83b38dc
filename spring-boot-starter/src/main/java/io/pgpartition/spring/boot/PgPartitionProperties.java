package io.pgpartition.spring.boot;

import io.pgpartition.hibernate.ChildPartitionDml;
import io.pgpartition.hibernate.MaintenanceMode;
import io.pgpartition.hibernate.NonPostgresqlMode;
import io.pgpartition.hibernate.PolicyRecording;
import io.pgpartition.hibernate.ServerGuardMode;
import io.pgpartition.hibernate.UnprunedStatementsMode;
import io.pgpartition.hibernate.ValidationMode;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * pgpartition's settings in a Spring Boot application ({@code pgpartition.*} in {@code application.yml}). Each one
 * that is set reaches Hibernate as the matching {@link io.pgpartition.hibernate.PartitioningSettings} key; one left
 * unset keeps pgpartition's default (or what {@code spring.jpa.properties.pgpartition.*} says).
 */
@ConfigurationProperties(prefix = "pgpartition")
public class PgPartitionProperties {

    /** Whether pgpartition takes part in the persistence unit at all; false leaves Hibernate exactly as without it. Default true. */
    private Boolean enabled;

    /**
     * What partitioned entities do on a database that is not PostgreSQL (H2 in tests, say): warn (one warning, then run
     * unguarded as without pgpartition) or fail (stop the application). Default warn.
     */
    private NonPostgresqlMode nonPostgresql;

    /**
     * Whether the policies the annotations declare are recorded in the database at startup, for pgpartition maintain and
     * check without options: record or none. Default record.
     */
    private PolicyRecording policies;

    /** What startup validation does with a bad mapping: fail (stop the application with one report), warn or none. Default fail. */
    private ValidationMode validation;

    /** What happens to native DML that writes to a partition instead of its parent: reject, warn or allow. Default reject. */
    private ChildPartitionDml childPartitionDml;

    /** The database-side guard: none, verify (fail startup where it is missing) or install (complete it at startup). Default none. */
    private ServerGuardMode serverGuard;

    /**
     * The unpruned-statement sentinel, for tests and development: off, log (each distinct statement explained once; one
     * scanning every partition logged with its fix) or fail (refused with UnprunedStatementException). Default off.
     */
    private UnprunedStatementsMode unprunedStatements;

    private final Maintenance maintenance = new Maintenance();

    private final Health health = new Health();

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public NonPostgresqlMode getNonPostgresql() {
        return nonPostgresql;
    }

    public void setNonPostgresql(NonPostgresqlMode nonPostgresql) {
        this.nonPostgresql = nonPostgresql;
    }

    public PolicyRecording getPolicies() {
        return policies;
    }

    public void setPolicies(PolicyRecording policies) {
        this.policies = policies;
    }

    public ValidationMode getValidation() {
        return validation;
    }

    public void setValidation(ValidationMode validation) {
        this.validation = validation;
    }

    public ChildPartitionDml getChildPartitionDml() {
        return childPartitionDml;
    }

    public void setChildPartitionDml(ChildPartitionDml childPartitionDml) {
        this.childPartitionDml = childPartitionDml;
    }

    public ServerGuardMode getServerGuard() {
        return serverGuard;
    }

    public void setServerGuard(ServerGuardMode serverGuard) {
        this.serverGuard = serverGuard;
    }

    public UnprunedStatementsMode getUnprunedStatements() {
        return unprunedStatements;
    }

    public void setUnprunedStatements(UnprunedStatementsMode unprunedStatements) {
        this.unprunedStatements = unprunedStatements;
    }

    public Maintenance getMaintenance() {
        return maintenance;
    }

    public Health getHealth() {
        return health;
    }

    /** Partition maintenance of the entities that declare a policy. */
    public static class Maintenance {

        /** Maintenance at startup: none, verify (fail startup when partitions are missing) or apply (create and retire them). Default none. */
        private MaintenanceMode mode;

        /**
         * How often maintenance runs while the application is up, such as 1h; unset or 0 for never. With scheduling
         * enabled (@EnableScheduling) the runs are tasks of Spring's scheduler; otherwise they run on one daemon thread
         * of pgpartition's. Either way they stop with the application context.
         */
        private Duration interval;

        /** The lock_timeout of each maintenance statement: the longest the application's writes can queue behind maintenance. Default 2s. */
        private Duration lockTimeout;

        public MaintenanceMode getMode() {
            return mode;
        }

        public void setMode(MaintenanceMode mode) {
            this.mode = mode;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getLockTimeout() {
            return lockTimeout;
        }

        public void setLockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
        }
    }

    /** The actuator health contributor and the gauges. */
    public static class Health {

        /** The health status reported for a table that works but needs attention (WARN: short premake horizon, rows in the default partition). */
        private String warnStatus = "OUT_OF_SERVICE";

        /** How long one reading of the tables' health serves the health endpoint and the gauges before the catalog is read again. */
        private Duration cacheFor = Duration.ofSeconds(10);

        public String getWarnStatus() {
            return warnStatus;
        }

        public void setWarnStatus(String warnStatus) {
            this.warnStatus = warnStatus;
        }

        public Duration getCacheFor() {
            return cacheFor;
        }

        public void setCacheFor(Duration cacheFor) {
            this.cacheFor = cacheFor;
        }
    }
}
