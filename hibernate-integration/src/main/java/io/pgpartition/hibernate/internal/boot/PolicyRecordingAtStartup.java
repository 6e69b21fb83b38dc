package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.PartitioningException;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.RecordedPolicies;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;

/**
 * Records the unit's maintenance policies in the database once the factory is up, for the command line and every
 * other runner to read; what the role may not record is logged once with the statement that lets it.
 */
final class PolicyRecordingAtStartup implements SessionFactoryObserver {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRecordingAtStartup.class);

    private final List<MaintenancePolicy> policies;
    private final String recordedBy;

    PolicyRecordingAtStartup(List<MaintenancePolicy> policies, String recordedBy) {
        this.policies = List.copyOf(policies);
        this.recordedBy = recordedBy;
    }

    @Override
    public void sessionFactoryCreated(SessionFactory factory) {
        try {
            RecordedPolicies.Outcome outcome = BootstrapConnections.use(((SessionFactoryImplementor) factory).getJdbcServices()
                    .getBootstrapJdbcConnectionAccess(), connection -> RecordedPolicies.record(connection, policies, recordedBy));
            LOG.debug("pgpartition: recorded the policies of {}", outcome.recorded());
            outcome.notRecorded().forEach(reason -> LOG.info("pgpartition: the policy of {} (pgpartition maintain then needs its "
                    + "policy options, or set pgpartition.policies=none)", reason));
        } catch (SQLException | PartitioningException e) {
            LOG.warn("pgpartition: the partition policies were not recorded ({}); pgpartition maintain needs its policy options "
                    + "until they are", e.getMessage());
        }
    }
}
